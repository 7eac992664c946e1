package dev.bulwark.cluster.limit;

import dev.bulwark.core.limit.InMemoryBlocklist;
import dev.bulwark.core.limit.KeyBans;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.spi.Blocklist;
import dev.bulwark.core.time.Clock;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Blocklist} shared by every edge node through Redis.
 *
 * <p>Design: queries never leave the process — each node answers from a local
 * {@link InMemoryBlocklist} mirror (bounded, lock-free). A ban is applied to the mirror at once,
 * then written to Redis asynchronously: a sorted set {@code <ns>:bans} (member = "kind|subject",
 * score = wall-clock expiry) for listing and expiry, a hash {@code <ns>:bans:meta} with the
 * reason, and a message on channel {@code <ns>:bans} that every node's subscriber applies to its
 * own mirror within milliseconds. A node that starts late, or missed messages while
 * disconnected, catches up with {@link #sync()} (run at start and every {@code resyncInterval}),
 * which also drops expired entries from Redis. Unbans travel the same way.
 *
 * <p>Rate-limit bans ({@link #rateLimitBans()}) travel the same way, by key hash (wire kind
 * {@code KEYHASH}), so a key that trips a limit on one node is refused by every node.
 *
 * <p>Without Redis the node keeps enforcing its mirror: its own bans apply at once, and the
 * ones Redis did not take are kept (up to {@value #MAX_UNSENT}) and sent again by
 * {@link #recover()}, which the cluster's health check calls when Redis answers again; it also
 * refills a Redis that came back empty (restarted without persistence) from the mirror.
 */
public final class RedisBlocklist implements Blocklist, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisBlocklist.class);

    private final InMemoryBlocklist local;
    private final Clock clock;
    private final String setKey, metaKey, channel;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final ScheduledExecutorService scheduler;
    /** Bans Redis did not take while it was away, sent again by {@link #recover()}. */
    private static final int MAX_UNSENT = 100_000;
    private record Unsent(String kind, String subject, long expiresAt, String reason) {}
    private final ConcurrentLinkedQueue<Unsent> unsent = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unsentCount = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final KeyBans rateLimitBans = new KeyBans() {
        @Override public long remainingNanos(long hash) { return local.keyBanRemainingNanos(hash); }

        @Override
        public boolean ban(long hash, long ttlNanos, Object label) {
            long expires = clock.currentTimeMillis() + Math.max(1, ttlNanos / 1_000_000L);
            String reason = label == null ? "rate limit" : "rate limit " + label;
            local.banKeyHash(hash, ttlNanos, expires, reason);
            share(KEYHASH, Long.toHexString(hash), expires, reason);
            return true;
        }
    };
    private static final String KEYHASH = "KEYHASH";

    /**
     * @param capacity       bans kept in the local mirror (per kind: ranges and keys)
     * @param resyncInterval how often to reload the whole list from Redis; zero for never (tests)
     */
    public RedisBlocklist(RedisClient client, String namespace, int capacity, Duration resyncInterval, Clock clock) {
        this.local = new InMemoryBlocklist(capacity, clock);
        this.clock = clock;
        this.setKey = namespace + ":bans";
        this.metaKey = namespace + ":bans:meta";
        this.channel = namespace + ":bans";
        this.connection = client.connect();
        this.subscription = client.connectPubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                if (channel.equals(ch)) apply(message);
            }
        });
        subscription.sync().subscribe(channel);
        sync().join();
        if (resyncInterval.isZero()) {
            scheduler = null;
        } else {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("bulwark-blocklist-sync").unstarted(r));
            long ms = resyncInterval.toMillis();
            scheduler.scheduleWithFixedDelay(() -> sync().exceptionally(e -> { log.warn("blocklist sync failed: {}", e.toString()); return null; }),
                    ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void ban(Cidr range, Duration ttl, String reason) {
        Kind kind = range.prefixLength() == range.network().length * 8 ? Kind.ADDRESS : Kind.PREFIX;
        publish(kind, range.toString(), clock.currentTimeMillis() + ttl.toMillis(), reason);
    }

    @Override
    public void banKey(String key, Duration ttl, String reason) {
        publish(Kind.KEY, key, clock.currentTimeMillis() + ttl.toMillis(), reason);
    }

    @Override
    public boolean unban(Cidr range) {
        boolean was = local.unban(range);
        retract(range.prefixLength() == range.network().length * 8 ? Kind.ADDRESS : Kind.PREFIX, range.toString());
        return was;
    }

    @Override
    public boolean unbanKey(String key) {
        boolean was = local.unbanKey(key);
        retract(Kind.KEY, key);
        return was;
    }

    @Override public boolean isBanned(byte[] address) { return local.isBanned(address); }

    @Override public boolean isKeyBanned(long keyHash) { return local.isKeyBanned(keyHash); }

    @Override public List<Ban> list(int limit) { return local.list(limit); }

    /** Reloads every live ban from Redis into the local mirror and drops expired ones from Redis. */
    public CompletableFuture<Void> sync() {
        RedisAsyncCommands<String, String> redis = connection.async();
        long now = clock.currentTimeMillis();
        redis.zremrangebyscore(setKey, Range.create(Double.NEGATIVE_INFINITY, (double) now));
        return redis.zrangebyscoreWithScores(setKey, Range.create((double) now, Double.POSITIVE_INFINITY)).toCompletableFuture()
                .thenCompose(members -> {
                    if (members.isEmpty()) return CompletableFuture.completedFuture(null);
                    String[] fields = members.stream().map(m -> m.getValue()).toArray(String[]::new);
                    return redis.hmget(metaKey, fields).toCompletableFuture().thenAccept(values -> {
                        for (int i = 0; i < members.size(); i++) {
                            String member = members.get(i).getValue();
                            long expires = (long) members.get(i).getScore();
                            String reason = values.get(i).getValueOrElse("");
                            int bar = member.indexOf('|');
                            install(member.substring(0, bar), member.substring(bar + 1), expires, reason);
                        }
                    });
                });
    }

    @Override
    public void close() {
        if (scheduler != null) scheduler.shutdownNow();
        subscription.close();
        connection.close();
    }

    /** The table rate limits ban tripped keys in: this node's mirror, shared with the fleet. */
    public KeyBans rateLimitBans() { return rateLimitBans; }

    /** Bans made here that Redis has not taken yet (it was unreachable). */
    public int unsentBans() { return unsentCount.get(); }

    /**
     * After Redis was away: sends the bans it missed, refills it from the mirror if it came back
     * empty, and reloads what other nodes banned meanwhile.
     */
    public CompletableFuture<Void> recover() {
        int resent = 0;
        Unsent u;
        long now = clock.currentTimeMillis();
        while ((u = unsent.poll()) != null) {
            unsentCount.decrementAndGet();
            if (u.expiresAt() > now) {
                share(u.kind(), u.subject(), u.expiresAt(), u.reason());
                resent++;
            }
        }
        if (resent > 0) log.info("sent {} bans made while Redis was unreachable", resent);
        RedisAsyncCommands<String, String> redis = connection.async();
        return redis.exists(setKey).toCompletableFuture().thenCompose(n -> {
            if (n != null && n == 0) {
                List<Ban> mine = local.list(Integer.MAX_VALUE);
                if (!mine.isEmpty()) log.info("Redis holds no bans: restoring {} from this node's copy", mine.size());
                for (Ban b : mine) {
                    boolean hashed = b.kind() == Kind.KEY && b.subject().startsWith("#");
                    share(hashed ? KEYHASH : b.kind().name(), hashed ? b.subject().substring(1) : b.subject(), b.expiresAtMillis(), b.reason());
                }
            }
            return sync();
        });
    }

    private void publish(Kind kind, String subject, long expiresAt, String reason) {
        String r = reason == null ? "" : reason.replace('\n', ' ');
        install(kind.name(), subject, expiresAt, r);
        share(kind.name(), subject, expiresAt, r);
    }

    /** Writes a ban to Redis and announces it; what Redis refuses is kept for {@link #recover()}. */
    private void share(String kind, String subject, long expiresAt, String reason) {
        String r = reason == null ? "" : reason.replace('\n', ' ');
        String member = kind + "|" + subject;
        RedisAsyncCommands<String, String> redis = connection.async();
        redis.zadd(setKey, io.lettuce.core.ZAddArgs.Builder.gt(), (double) expiresAt, member).toCompletableFuture()
                .thenCompose(added -> redis.hset(metaKey, member, r).toCompletableFuture())
                .thenCompose(ok -> redis.publish(channel, "ban\n" + kind + "\n" + subject + "\n" + expiresAt + "\n" + r).toCompletableFuture())
                .whenComplete((n, e) -> {
                    if (e == null) {
                        if (failing.compareAndSet(true, false)) log.info("bans reach Redis again");
                        return;
                    }
                    if (failing.compareAndSet(false, true)) {
                        log.warn("Redis did not take a ban ({}); bans made here apply on this node and are sent again when Redis is back",
                                e.toString());
                    }
                    if (unsentCount.incrementAndGet() <= MAX_UNSENT) unsent.add(new Unsent(kind, subject, expiresAt, r));
                    else unsentCount.decrementAndGet();
                });
    }

    private void retract(Kind kind, String subject) {
        String member = kind + "|" + subject;
        RedisAsyncCommands<String, String> redis = connection.async();
        redis.zrem(setKey, member);
        redis.hdel(metaKey, member);
        redis.publish(channel, "unban\n" + kind + "\n" + subject)
                .exceptionally(e -> { log.warn("could not share the unban of {}: {}", subject, e.toString()); return null; });
    }

    /** Applies a message from another node (or this one) to the local mirror. */
    private void apply(String message) {
        try {
            String[] p = message.split("\n", 5);
            if (p[0].equals("ban")) {
                install(p[1], p[2], Long.parseLong(p[3]), p.length > 4 ? p[4] : "");
            } else if (p[0].equals("unban")) {
                Kind kind = Kind.valueOf(p[1]);
                if (kind == Kind.KEY) local.unbanKey(p[2]); else local.unban(Cidr.parse(p[2]));
            }
        } catch (RuntimeException e) {
            log.warn("ignoring malformed blocklist message: {}", e.toString());
        }
    }

    /** {@code kind} is a {@link Kind} name or {@value #KEYHASH} (subject: the hash in hex). */
    private void install(String kind, String subject, long expiresAt, String reason) {
        long ttlMillis = expiresAt - clock.currentTimeMillis();
        if (ttlMillis <= 0) return;
        if (kind.equals(KEYHASH)) local.banKeyHash(Long.parseUnsignedLong(subject, 16), ttlMillis * 1_000_000L, expiresAt, reason);
        else if (Kind.valueOf(kind) == Kind.KEY) local.banKey(subject, ttlMillis * 1_000_000L, expiresAt, reason);
        else local.ban(Cidr.parse(subject), ttlMillis * 1_000_000L, expiresAt, reason);
    }
}
