package dev.bulwark.cluster.limit;

import dev.bulwark.core.limit.InMemoryBlocklist;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 */
public final class RedisBlocklist implements Blocklist, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisBlocklist.class);

    private final InMemoryBlocklist local;
    private final Clock clock;
    private final String setKey, metaKey, channel;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final ScheduledExecutorService scheduler;

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
                            install(Kind.valueOf(member.substring(0, bar)), member.substring(bar + 1), expires, reason);
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

    private void publish(Kind kind, String subject, long expiresAt, String reason) {
        String r = reason == null ? "" : reason.replace('\n', ' ');
        install(kind, subject, expiresAt, r);
        String member = kind + "|" + subject;
        RedisAsyncCommands<String, String> redis = connection.async();
        redis.zadd(setKey, (double) expiresAt, member);
        redis.hset(metaKey, member, r);
        redis.publish(channel, "ban\n" + kind + "\n" + subject + "\n" + expiresAt + "\n" + r)
                .exceptionally(e -> { log.warn("could not share ban of {}: {}", subject, e.toString()); return null; });
    }

    private void retract(Kind kind, String subject) {
        String member = kind + "|" + subject;
        RedisAsyncCommands<String, String> redis = connection.async();
        redis.zrem(setKey, member);
        redis.hdel(metaKey, member);
        redis.publish(channel, "unban\n" + kind + "\n" + subject);
    }

    /** Applies a message from another node (or this one) to the local mirror. */
    private void apply(String message) {
        try {
            String[] p = message.split("\n", 5);
            Kind kind = Kind.valueOf(p[1]);
            if (p[0].equals("ban")) {
                install(kind, p[2], Long.parseLong(p[3]), p.length > 4 ? p[4] : "");
            } else if (p[0].equals("unban")) {
                if (kind == Kind.KEY) local.unbanKey(p[2]); else local.unban(Cidr.parse(p[2]));
            }
        } catch (RuntimeException e) {
            log.warn("ignoring malformed blocklist message: {}", e.toString());
        }
    }

    private void install(Kind kind, String subject, long expiresAt, String reason) {
        long ttlMillis = expiresAt - clock.currentTimeMillis();
        if (ttlMillis <= 0) return;
        if (kind == Kind.KEY) local.banKey(subject, ttlMillis * 1_000_000L, expiresAt, reason);
        else local.ban(Cidr.parse(subject), ttlMillis * 1_000_000L, expiresAt, reason);
    }
}
