package dev.bulwark.cluster.challenge;

import dev.bulwark.core.challenge.KeySet;
import dev.bulwark.core.spi.KeyRing;
import dev.bulwark.core.time.Clock;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The challenge key ring shared by every edge node through Redis.
 *
 * <p>Design: Redis holds the keys in a hash ({@code <prefix>keys}: id in hex to
 * "{@code <created millis> <secret base64>}") and their order in a list
 * ({@code <prefix>order}, newest first). Creating the first key and rotating are Lua
 * scripts, so two nodes starting or rotating at once cannot disagree. Each node keeps an
 * immutable {@link KeySet} in memory and refreshes it in the background; the request path
 * ({@link #find}, {@link #current}) never touches Redis.
 *
 * <p>Rotation without anyone being logged out, even on nodes that have not refreshed yet:
 * a new key is first only <em>accepted</em>, and starts <em>signing</em> after the
 * activation delay (longer than the refresh interval), by which time every node knows it.
 * The oldest keys beyond {@code previous} are dropped from Redis at rotation; nodes stop
 * accepting them at their next refresh.
 */
public final class RedisKeyRing implements KeyRing, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisKeyRing.class);

    /** KEYS: hash, order list. ARGV: id, value. Adds the first key only when the ring is empty. */
    private static final String BOOTSTRAP = """
            if redis.call('LLEN', KEYS[2]) == 0 then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
              redis.call('LPUSH', KEYS[2], ARGV[1])
              return 1
            end
            return 0
            """;

    /** KEYS: hash, order list. ARGV: id1, value1, id2, value2, … newest first. Refills an empty ring; 1 when it did. */
    private static final String RESTORE = """
            if redis.call('LLEN', KEYS[2]) ~= 0 then return 0 end
            for i = 1, #ARGV, 2 do
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
              redis.call('RPUSH', KEYS[2], ARGV[i])
            end
            return 1
            """;

    /** KEYS: hash, order list. ARGV: id, value, keys to keep. Returns 0 when the id is taken (caller retries). */
    private static final String ROTATE = """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('LPUSH', KEYS[2], ARGV[1])
            local keep = tonumber(ARGV[3])
            while redis.call('LLEN', KEYS[2]) > keep do
              local old = redis.call('RPOP', KEYS[2])
              redis.call('HDEL', KEYS[1], old)
            end
            return 1
            """;

    /**
     * KEYS: hash, order list. ARGV: id, value, keys to keep, now millis, max age millis.
     * Rotates only when the newest key is older than the max age; 0 = not due, 1 = rotated,
     * -1 = id taken (caller retries).
     */
    private static final String ROTATE_IF_DUE = """
            local newest = redis.call('LINDEX', KEYS[2], 0)
            if newest then
              local v = redis.call('HGET', KEYS[1], newest)
              if v then
                local created = tonumber(string.match(v, '^(%-?%d+) '))
                if created and tonumber(ARGV[4]) - created < tonumber(ARGV[5]) then return 0 end
              end
            end
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return -1 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('LPUSH', KEYS[2], ARGV[1])
            local keep = tonumber(ARGV[3])
            while redis.call('LLEN', KEYS[2]) > keep do
              local old = redis.call('RPOP', KEYS[2])
              redis.call('HDEL', KEYS[1], old)
            end
            return 1
            """;

    private final RedisCommands<String, String> redis;
    private final String hashKey;
    private final String orderKey;
    private final Clock clock;
    private final int previous;
    private final long activationMillis;
    private final SecureRandom random = new SecureRandom();
    private volatile KeySet set;
    private volatile ScheduledExecutorService refresher;
    private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Connects the ring to Redis, creating the first key if there is none, and loads it.
     *
     * @param prefix          key prefix, e.g. "bulwark:challenge:"
     * @param previous        older keys kept besides the newest one
     * @param activationDelay how long a new key is only accepted before it signs; make it
     *                        longer than the refresh interval of every node
     */
    public RedisKeyRing(StatefulRedisConnection<String, String> connection, String prefix, Clock clock, int previous,
                        Duration activationDelay) {
        if (previous < 1) throw new IllegalArgumentException("keep at least one previous key, or rotation logs everyone out");
        if (activationDelay.isNegative()) throw new IllegalArgumentException("activation delay must not be negative");
        this.redis = connection.sync();
        this.hashKey = prefix + "keys";
        this.orderKey = prefix + "order";
        this.clock = clock;
        this.previous = previous;
        this.activationMillis = activationDelay.toMillis();
        KeyRing.Key first = KeySet.newKey(random, 0, null); // created "at the epoch": signs at once
        redis.eval(BOOTSTRAP, ScriptOutputType.INTEGER, new String[]{hashKey, orderKey}, hex(first.id()), value(first));
        refresh();
    }

    /** Re-reads the keys from Redis. Keeps the old objects when nothing changed (warm per-thread HMAC pads). */
    public void refresh() {
        List<String> ids = redis.lrange(orderKey, 0, -1);
        if (ids.isEmpty()) throw new IllegalStateException("challenge key ring at " + orderKey + " is empty");
        List<KeyRing.Key> keys = new ArrayList<>(ids.size());
        List<io.lettuce.core.KeyValue<String, String>> values = redis.hmget(hashKey, ids.toArray(String[]::new));
        for (io.lettuce.core.KeyValue<String, String> kv : values) {
            if (!kv.hasValue()) continue; // removed between the two reads; the next refresh settles it
            String[] f = kv.getValue().split(" ", 2);
            keys.add(new KeyRing.Key(Integer.parseUnsignedInt(kv.getKey(), 16), Base64.getDecoder().decode(f[1]), Long.parseLong(f[0])));
        }
        KeySet fresh = KeySet.of(keys);
        if (!fresh.sameAs(set)) set = fresh;
    }

    /** Refreshes every {@code every} on a daemon thread until {@link #close()}. */
    public synchronized void startRefreshing(Duration every) {
        if (refresher != null) return;
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulwark-keyring-refresh");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(() -> {
            try {
                refresh();
                if (failing.compareAndSet(true, false)) log.info("challenge key ring refreshes from Redis again");
            } catch (RuntimeException e) {
                if (failing.compareAndSet(false, true)) log.warn("challenge key ring refresh failed; keeping the keys we have: {}", e.toString());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        refresher = s;
    }

    /**
     * Puts this node's keys back when Redis has none (it restarted without persistence), so
     * clearance cookies signed before stay valid on every node, and a node starting now joins
     * the same ring instead of creating a new one. Returns true when it refilled the ring.
     */
    public boolean restoreIfEmpty() {
        List<Key> mine = set.keys();
        String[] args = new String[mine.size() * 2];
        for (int i = 0; i < mine.size(); i++) {
            args[2 * i] = hex(mine.get(i).id());
            args[2 * i + 1] = value(mine.get(i));
        }
        Long restored = redis.eval(RESTORE, ScriptOutputType.INTEGER, new String[]{hashKey, orderKey}, args);
        if (restored != null && restored == 1) {
            log.info("Redis held no challenge keys: restored this node's {} keys", mine.size());
            return true;
        }
        return false;
    }

    /** The newest key whose activation delay has passed; the oldest key when none has yet. */
    @Override
    public Key current() {
        long signFrom = clock.currentTimeMillis() - activationMillis;
        List<Key> keys = set.keys();
        for (Key k : keys) if (k.createdAtMillis() <= signFrom) return k;
        return keys.get(keys.size() - 1);
    }

    @Override public Key find(int id) { return set.find(id); }

    @Override public List<Key> keys() { return set.keys(); }

    /** Adds a new key to the shared ring (accepted now, signing after the activation delay) and reloads. */
    @Override
    public void rotate() {
        for (int attempt = 0; attempt < 5; attempt++) {
            KeyRing.Key k = KeySet.newKey(random, clock.currentTimeMillis(), set);
            Long added = redis.eval(ROTATE, ScriptOutputType.INTEGER, new String[]{hashKey, orderKey},
                    hex(k.id()), value(k), Integer.toString(previous + 1));
            if (added != null && added == 1) {
                refresh();
                return;
            }
        }
        throw new IllegalStateException("could not find a free key id after 5 attempts");
    }

    /** Atomic in Redis: when every node calls this on a timer, the cluster still rotates once per period. */
    @Override
    public boolean rotateIfOlderThan(Duration maxAge, long nowMillis) {
        for (int attempt = 0; attempt < 5; attempt++) {
            KeyRing.Key k = KeySet.newKey(random, nowMillis, set);
            Long result = redis.eval(ROTATE_IF_DUE, ScriptOutputType.INTEGER, new String[]{hashKey, orderKey},
                    hex(k.id()), value(k), Integer.toString(previous + 1), Long.toString(nowMillis), Long.toString(maxAge.toMillis()));
            if (result != null && result >= 0) {
                refresh();
                return result == 1;
            }
        }
        throw new IllegalStateException("could not find a free key id after 5 attempts");
    }

    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }

    private static String hex(int id) { return Integer.toHexString(id); }

    private static String value(KeyRing.Key k) {
        return k.createdAtMillis() + " " + Base64.getEncoder().encodeToString(k.secretUnsafe());
    }
}
