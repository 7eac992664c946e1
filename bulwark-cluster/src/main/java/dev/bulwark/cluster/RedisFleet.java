package dev.bulwark.cluster;

import dev.bulwark.cluster.challenge.RedisKeyRing;
import dev.bulwark.cluster.limit.RedisBlocklist;
import dev.bulwark.cluster.limit.RedisSharedCounters;
import dev.bulwark.core.limit.KeyHash;
import dev.bulwark.core.time.Clock;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node's membership of a fleet: the Redis client, the fleet's key-hash seed, and the Redis
 * implementations of the shared-state interfaces ({@link RedisSharedCounters},
 * {@link RedisBlocklist} with its rate-limit ban table, {@link RedisKeyRing}) that the edge is
 * given instead of its in-memory defaults.
 *
 * <p>Redis must answer at start (the seed and the key ring come from it). Afterwards the request
 * path never waits for it: the client rejects commands at once while disconnected and times out
 * the rest, so every component falls back to its local copy. A health check pings Redis every
 * {@link #HEALTH_INTERVAL}; it logs when Redis goes away and comes back (once each, not per
 * failure) and, on return, puts back what a Redis restarted without persistence lost (seed, key
 * ring, bans) and sends the bans it missed.
 */
public final class RedisFleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisFleet.class);
    static final Duration HEALTH_INTERVAL = Duration.ofMillis(500);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration COUNTER_SYNC = Duration.ofMillis(100);
    private static final Duration BAN_RESYNC = Duration.ofSeconds(30);
    private static final Duration KEY_REFRESH = Duration.ofSeconds(1);
    /** Longer than {@link #KEY_REFRESH}: a new key signs only once every node has it. */
    private static final Duration KEY_ACTIVATION = Duration.ofSeconds(10);
    private static final int COUNTER_CAPACITY = 1 << 16;
    private static final int BAN_CAPACITY = 1 << 16;

    /**
     * @param url      {@code redis://host:port[/db]} or {@code rediss://…}, without credentials
     * @param password null when Redis needs none; never logged
     * @param nodeId   this node's name (Redis client name, logs)
     */
    public record Settings(String url, String password, String nodeId, String namespace) {
        @Override public String toString() { return "Settings[" + url + ", node " + nodeId + ", namespace " + namespace + "]"; }
    }

    private final Settings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> control;
    private final String seedKey;
    private final String seed;
    private final RedisSharedCounters counters;
    private final RedisBlocklist blocklist;
    private final RedisKeyRing keyRing;
    private final ScheduledExecutorService health;
    private volatile boolean up = true;
    private final AtomicLong outages = new AtomicLong();
    private volatile long downSinceMillis;

    private RedisFleet(Settings s, Clock clock) {
        this.settings = s;
        this.resources = ClientResources.builder().reconnectDelay(Delay.constant(HEALTH_INTERVAL)).build();
        this.client = RedisClient.create(resources, uri(s));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
                .build());
        RedisSharedCounters c = null;
        RedisBlocklist b = null;
        RedisKeyRing k = null;
        StatefulRedisConnection<String, String> ctl = null;
        try {
            ctl = client.connect();
            this.seedKey = s.namespace() + ":keyhash-seed";
            this.seed = fleetSeed(ctl, seedKey);
            KeyHash.useFleetSeed(seed); // before anything is hashed: the blocklist's first sync hashes keys
            c = new RedisSharedCounters(client, s.namespace(), COUNTER_CAPACITY, COUNTER_SYNC, clock);
            b = new RedisBlocklist(client, s.namespace(), BAN_CAPACITY, BAN_RESYNC, clock);
            k = new RedisKeyRing(client.connect(), s.namespace() + ":challenge:", clock, 2, KEY_ACTIVATION);
            k.startRefreshing(KEY_REFRESH);
        } catch (RuntimeException e) {
            if (k != null) k.close();
            if (b != null) b.close();
            if (c != null) c.close();
            if (ctl != null) ctl.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown();
            throw new IllegalStateException("cannot join the fleet at " + s.url() + ": " + e.getMessage(), e);
        }
        this.control = ctl;
        this.counters = c;
        this.blocklist = b;
        this.keyRing = k;
        this.health = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("bulwark-redis-health").unstarted(r));
        long ms = HEALTH_INTERVAL.toMillis();
        health.scheduleWithFixedDelay(this::checkHealth, ms, ms, TimeUnit.MILLISECONDS);
        log.info("cluster mode: node {} shares counters, bans and challenge keys through {} (namespace {})",
                s.nodeId(), s.url(), s.namespace());
    }

    /** Connects to the fleet's Redis; fails (with the reason, never the password) when it does not answer. */
    public static RedisFleet join(Settings settings, Clock clock) { return new RedisFleet(settings, clock); }

    public RedisSharedCounters counters() { return counters; }

    public RedisBlocklist blocklist() { return blocklist; }

    public RedisKeyRing keyRing() { return keyRing; }

    public Settings settings() { return settings; }

    /** True while the last health check reached Redis. */
    public boolean redisUp() { return up; }

    /** Times Redis went away since start. */
    public long outages() { return outages.get(); }

    /** Runs one health check now (the timer does this every {@link #HEALTH_INTERVAL}). */
    void checkHealth() {
        boolean reachable;
        try {
            reachable = "PONG".equals(control.async().ping().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            reachable = false;
        }
        if (!reachable && up) {
            up = false;
            downSinceMillis = System.currentTimeMillis();
            outages.incrementAndGet();
            log.warn("Redis at {} is unreachable: node {} serves with its local copies (rate limits count this node's "
                    + "requests, bans made here apply here, clearance keys stay as they are) until it returns", settings.url(), settings.nodeId());
        } else if (reachable && !up) {
            try {
                resync();
                up = true;
                log.info("Redis at {} is back after {} ms: node {} resynced", settings.url(),
                        System.currentTimeMillis() - downSinceMillis, settings.nodeId());
            } catch (RuntimeException e) {
                log.warn("Redis answers again but resyncing failed, retrying: {}", e.toString());
            }
        }
    }

    /** What a returning Redis may lack: the seed, the key ring and the bans (restarted without persistence). */
    private void resync() {
        String held = fleetSeed(control, seedKey);
        if (!held.equals(seed)) {
            log.error("Redis holds another key-hash seed than this node: nodes started since Redis lost its data hash keys "
                    + "differently; restart them once this node's seed is back (or restart every node)");
        }
        keyRing.restoreIfEmpty();
        keyRing.refresh();
        blocklist.recover().orTimeout(COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS).join();
        // other nodes send the bans they made meanwhile when their own check sees Redis again; a
        // message sent before this node's subscription reconnected would wait for the periodic resync
        health.schedule(() -> blocklist.sync().exceptionally(e -> null), 2, TimeUnit.SECONDS);
    }

    /**
     * The seed every node of the fleet hashes keys with: created once, atomically ({@code SET NX}),
     * by the first node; the value offered is {@code -Dbulwark.keyhash.seed} when set, or random.
     * A node (or process) already holding a seed offers its own, so a Redis that lost its data gets it back.
     */
    private String fleetSeed(StatefulRedisConnection<String, String> c, String key) {
        String offered = seed != null ? seed : KeyHash.fleetSeed() != null ? KeyHash.fleetSeed() : System.getProperty(KeyHash.SEED_PROPERTY);
        if (offered == null || offered.length() < 16) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            offered = Base64.getEncoder().withoutPadding().encodeToString(b);
        }
        c.sync().set(key, offered, SetArgs.Builder.nx());
        String held = c.sync().get(key);
        if (held == null) throw new IllegalStateException("the key-hash seed vanished from Redis while it was read");
        return held;
    }

    /** Lettuce reads the URL (host, port, database, {@code rediss} for TLS); the rest comes from the settings. */
    private static RedisURI uri(Settings s) {
        RedisURI.Builder b = RedisURI.builder(RedisURI.create(s.url()))
                .withTimeout(COMMAND_TIMEOUT)
                .withClientName(s.nodeId());
        if (s.password() != null && !s.password().isEmpty()) b.withPassword(s.password().toCharArray());
        return b.build();
    }

    @Override
    public void close() {
        health.shutdownNow();
        keyRing.close();
        blocklist.close();
        counters.close();
        control.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown();
    }
}
