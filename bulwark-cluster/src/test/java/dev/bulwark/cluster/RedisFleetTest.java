package dev.bulwark.cluster;

import dev.bulwark.cluster.limit.EmbeddedRedis;
import dev.bulwark.core.limit.KeyHash;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.spi.SharedCounters;
import dev.bulwark.core.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two nodes on one embedded Redis, which goes away and comes back empty. */
class RedisFleetTest {
    EmbeddedRedis redis;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception { redis = new EmbeddedRedis(); }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) c.close();
        redis.close();
    }

    RedisFleet node(String id) {
        RedisFleet f = RedisFleet.join(new RedisFleet.Settings("redis://127.0.0.1:" + redis.port, null, id, "fleet"), Clock.SYSTEM);
        open.add(f);
        return f;
    }

    @Test
    void nodesShareOneSeedAndOneKeyRing() {
        RedisFleet a = node("a"), b = node("b");
        assertThat(b.keyRing().current()).isEqualTo(a.keyRing().current());
        try (var c = redis.client().connect()) {
            String seed = c.sync().get("fleet:keyhash-seed");
            assertThat(seed).hasSizeGreaterThanOrEqualTo(16);
            long expected = KeyHash.finish(KeyHash.mix(KeyHash.seed(), "x"));
            KeyHash.useFleetSeed(seed); // the same secret again is accepted, and changes nothing
            assertThat(KeyHash.finish(KeyHash.mix(KeyHash.seed(), "x"))).isEqualTo(expected);
        }
    }

    @Test
    void keepsServingWithoutRedisAndResyncsWhenItReturnsEmpty() throws Exception {
        RedisFleet a = node("a"), b = node("b");
        var ringBefore = a.keyRing().keys();
        SharedCounters.Window w = a.counters().window(Duration.ofMinutes(10));
        long key = KeyHash.of("client-during-outage");

        redis.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.redisUp() && !b.redisUp());
        assertThat(a.outages()).isEqualTo(1);

        // bans made now apply here at once; counts go on locally and survive failed syncs
        a.blocklist().ban(Cidr.parse("203.0.113.5"), Duration.ofMinutes(5), "made during the outage");
        assertThat(a.blocklist().isBanned(Cidr.literal("203.0.113.5"))).isTrue();
        assertThat(a.blocklist().unsentBans()).isEqualTo(1);
        for (int i = 1; i <= 5; i++) assertThat(w.incrementAndGet(key, 1)).isEqualTo(i);
        Thread.sleep(300); // a few failed counter syncs
        assertThat(w.get(key)).isEqualTo(5);
        assertThat(a.keyRing().current()).isEqualTo(ringBefore.get(0)); // signing goes on

        redis.restart(); // empty: no seed, no keys, no bans
        await().atMost(Duration.ofSeconds(10)).until(() -> a.redisUp() && b.redisUp());
        // the ban reached the fleet; the ring and the seed are back, so a node starting now joins them
        await().atMost(Duration.ofSeconds(5)).until(() -> b.blocklist().isBanned(Cidr.literal("203.0.113.5")));
        assertThat(a.blocklist().unsentBans()).isZero();
        RedisFleet late = node("late"); // would throw if Redis now held another seed
        assertThat(late.keyRing().keys()).isEqualTo(ringBefore);
        assertThat(late.blocklist().isBanned(Cidr.literal("203.0.113.5"))).isTrue();
        w.incrementAndGet(key, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.counters().window(Duration.ofMinutes(10)).get(key) == 6);
    }
}
