package dev.bulwark.cluster.limit;

import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.limit.AttemptLimit;
import dev.bulwark.core.limit.BoundedBanTable;
import dev.bulwark.core.limit.KeyHash;
import dev.bulwark.core.limit.RateLimitDecision;
import dev.bulwark.core.limit.RateLimiter;
import dev.bulwark.core.limit.RequestMatcher;
import dev.bulwark.core.request.SimpleRequestFacts;
import dev.bulwark.core.spi.SharedCounters;
import dev.bulwark.core.time.ManualClock;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RedisSharedCountersTest {
    static EmbeddedRedis redis;
    static RedisClient clientA, clientB;

    @BeforeAll
    static void start() throws Exception {
        redis = new EmbeddedRedis();
        clientA = redis.client();
        clientB = redis.client();
    }

    @AfterAll
    static void stop() throws Exception {
        clientA.shutdown();
        clientB.shutdown();
        redis.close();
    }

    @Test
    void twoNodesShareOneCount() throws Exception {
        ManualClock clock = new ManualClock(1_800_000_000_000L); // aligned: window starts at a whole minute
        try (RedisSharedCounters a = new RedisSharedCounters(clientA, "c1", 1024, Duration.ZERO, clock);
             RedisSharedCounters b = new RedisSharedCounters(clientB, "c1", 1024, Duration.ZERO, clock)) {
            SharedCounters.Window wa = a.window(Duration.ofMinutes(1)), wb = b.window(Duration.ofMinutes(1));
            long key = KeyHash.of("203.0.113.7"), other = KeyHash.of("198.51.100.1");
            for (int i = 1; i <= 30; i++) assertThat(wa.incrementAndGet(key, 1)).isEqualTo(i); // local until synced
            for (int i = 0; i < 20; i++) wb.incrementAndGet(key, 1);
            wb.incrementAndGet(other, 1);
            a.sync().get(5, TimeUnit.SECONDS);
            b.sync().get(5, TimeUnit.SECONDS);
            assertThat(wb.get(key)).isEqualTo(50); // b saw the total after a's 30 arrived
            assertThat(wa.incrementAndGet(key, 1)).isEqualTo(31); // a has not synced since b did: its view lags
            a.sync().get(5, TimeUnit.SECONDS);
            assertThat(wa.get(key)).isEqualTo(51);
            assertThat(wa.get(other)).isZero(); // never counted here: nothing known locally

            // next window: the previous total fades out as the window slides
            clock.advance(Duration.ofSeconds(75));
            assertThat(wa.get(key)).isEqualTo(39); // 51 × 0.75 rounded up
            wa.incrementAndGet(key, 1);
            a.sync().get(5, TimeUnit.SECONDS);
            assertThat(wa.get(key)).isEqualTo(39 + 1);
            clock.advance(Duration.ofSeconds(60));
            assertThat(wa.get(key)).isEqualTo(1); // 1 × 0.75 rounded up; the 51 are gone
        }
    }

    @Test
    void aBatchOnItsWayToRedisStillCountsLocally() throws Exception {
        ManualClock clock = new ManualClock(1_800_000_000_000L);
        try (RedisSharedCounters a = new RedisSharedCounters(clientA, "c6", 256, Duration.ZERO, clock);
             var admin = clientB.connect()) {
            SharedCounters.Window wa = a.window(Duration.ofMinutes(1));
            long key = KeyHash.of("203.0.113.9");
            for (int i = 0; i < 5; i++) wa.incrementAndGet(key, 1);
            admin.sync().clientPause(1_000); // Redis holds every client's commands for a second: the batch is in flight
            CompletableFuture<Void> inFlight = a.sync();
            assertThat(inFlight).isNotDone();
            assertThat(wa.get(key)).as("counts sent but not yet acknowledged").isEqualTo(5);
            assertThat(wa.incrementAndGet(key, 1)).isEqualTo(6);
            inFlight.get(5, TimeUnit.SECONDS);
            assertThat(wa.get(key)).as("after the reply, counted once").isEqualTo(6);
            a.sync().get(5, TimeUnit.SECONDS);
            assertThat(wa.get(key)).isEqualTo(6);
        }
    }

    @Test
    void aClusterWideRateLimitTripsOnTheCombinedTraffic() throws Exception {
        ManualClock clock = new ManualClock(1_800_000_000_000L);
        List<RateLimitRuleConfig> rules = List.of(new RateLimitRuleConfig("per-ip", null, null, List.of("ip.src"),
                Duration.ofMinutes(1), 40L, RateLimitRuleConfig.Action.BLOCK, Duration.ofMinutes(10), null));
        java.util.function.Function<String, RequestMatcher> noExpressions = e -> { throw new IllegalArgumentException("none"); };
        try (RedisSharedCounters a = new RedisSharedCounters(clientA, "c2", 1024, Duration.ZERO, clock);
             RedisSharedCounters b = new RedisSharedCounters(clientB, "c2", 1024, Duration.ZERO, clock)) {
            RateLimiter edgeA = new RateLimiter("zone", rules, noExpressions, a, new BoundedBanTable(1024, clock));
            RateLimiter edgeB = new RateLimiter("zone", rules, noExpressions, b, new BoundedBanTable(1024, clock));
            SimpleRequestFacts client = new SimpleRequestFacts().client(InetAddress.getByName("192.0.2.50"));
            // the client spreads 25 requests over each node: neither node alone sees more than 40
            for (int i = 0; i < 25; i++) assertThat(edgeA.check(client).outcome()).isEqualTo(RateLimitDecision.Outcome.ALLOW);
            a.sync().get(5, TimeUnit.SECONDS);
            // b knows nothing of the client until its first batch comes back with the cluster total
            int allowedOnB = 0;
            for (int i = 0; i < 5; i++) if (!edgeB.check(client).enforced()) allowedOnB++;
            b.sync().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) if (!edgeB.check(client).enforced()) allowedOnB++;
            b.sync().get(5, TimeUnit.SECONDS);
            assertThat(allowedOnB).isEqualTo(15);
            assertThat(edgeA.check(client).outcome()).isEqualTo(RateLimitDecision.Outcome.ALLOW); // a's view: 25 + 1 until next sync
            a.sync().get(5, TimeUnit.SECONDS);
            assertThat(edgeA.check(client).outcome()).isEqualTo(RateLimitDecision.Outcome.BLOCK);
        }
    }

    @Test
    void backgroundSyncRunsOnItsOwn() throws Exception {
        ManualClock clock = new ManualClock(1_800_000_000_000L);
        try (RedisSharedCounters a = new RedisSharedCounters(clientA, "c3", 64, Duration.ofMillis(20), clock);
             RedisSharedCounters b = new RedisSharedCounters(clientB, "c3", 64, Duration.ofMillis(20), clock)) {
            SharedCounters.Window wa = a.window(Duration.ofSeconds(10)), wb = b.window(Duration.ofSeconds(10));
            long key = KeyHash.of("k");
            wa.incrementAndGet(key, 7);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.updatesAcknowledged() == 1);
            wb.incrementAndGet(key, 1); // a node learns a key's cluster total from the reply to its own batch
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> wb.get(key) == 8);
        }
    }

    @Test
    void withoutRedisANodeLimitsOnItsOwnCountsAndNothingPilesUp() throws Exception {
        ManualClock clock = new ManualClock(1_800_000_000_000L);
        try (EmbeddedRedis own = new EmbeddedRedis()) {
            RedisClient client = own.client();
            client.setOptions(io.lettuce.core.ClientOptions.builder() // as the fleet's client: fail fast while disconnected
                    .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            try (RedisSharedCounters a = new RedisSharedCounters(client, "c5", 256, Duration.ZERO, clock)) {
                SharedCounters.Window w = a.window(Duration.ofMinutes(1));
                long key = KeyHash.of("client-x");
                own.stop();
                for (int i = 0; i < 30; i++) w.incrementAndGet(key, 1);
                for (int i = 0; i < 3; i++) {
                    assertThat(a.sync()).failsWithin(Duration.ofSeconds(5));
                    assertThat(w.get(key)).isEqualTo(30); // failed batches do not lose local counts
                }
                clock.advance(Duration.ofSeconds(90)); // half into the next window: the count slides out as usual
                assertThat(w.get(key)).isEqualTo(15);
                assertThat(a.sync()).succeedsWithin(Duration.ofSeconds(5)); // a past window's unsent counts are dropped, not sent
                clock.advance(Duration.ofSeconds(60));
                assertThat(w.get(key)).isZero(); // an outage of any length piles nothing up

                w.incrementAndGet(key, 2);
                assertThat(a.sync()).failsWithin(Duration.ofSeconds(5));
                own.restart();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                    w.incrementAndGet(key, 0);
                    try { a.sync().get(5, TimeUnit.SECONDS); return true; } catch (Exception e) { return false; }
                });
                w.incrementAndGet(key, 1);
                a.sync().get(5, TimeUnit.SECONDS);
                try (var c = client.connect()) { // what Redis missed in this window was sent with the next batch
                    long window = clock.currentTimeMillis() / 60_000;
                    assertThat(c.sync().get("c5:c:60000:" + window + ":" + Long.toHexString(key))).isEqualTo("3");
                }
                assertThat(w.get(key)).isEqualTo(3);
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void aNodeNewToAKeyLearnsThePreviousWindowToo() throws Exception {
        ManualClock clock = new ManualClock(1_800_000_000_000L);
        try (RedisSharedCounters a = new RedisSharedCounters(clientA, "c4", 256, Duration.ZERO, clock);
             RedisSharedCounters b = new RedisSharedCounters(clientB, "c4", 256, Duration.ZERO, clock)) {
            long key = KeyHash.of("busy-client");
            a.window(Duration.ofMinutes(1)).incrementAndGet(key, 40);
            a.sync().get(5, TimeUnit.SECONDS);
            clock.advance(Duration.ofSeconds(75)); // a quarter into the next window
            SharedCounters.Window wb = b.window(Duration.ofMinutes(1));
            assertThat(wb.incrementAndGet(key, 1)).isEqualTo(1); // nothing known yet
            b.sync().get(5, TimeUnit.SECONDS);
            assertThat(wb.get(key)).isEqualTo(30 + 1); // 40 × 0.75 from the previous window + this one
        }
    }

    /**
     * Attempts made on two nodes of a fleet count against one limit, as the dashboard sign-in limit
     * uses them: each attempt waits for the fleet's count, so no background synchronisation runs
     * here (interval zero) and none is needed.
     */
    @Test
    void signInAttemptsOnTwoNodesCountAgainstOneLimit() throws Exception {
        ManualClock clock = new ManualClock(1_800_000_000_000L); // aligned: the window starts at a whole minute
        AttemptLimit signIn = new AttemptLimit("dashboard-sign-in", 10, Duration.ofMinutes(1));
        try (RedisSharedCounters a = new RedisSharedCounters(clientA, "attempts", 1024, Duration.ZERO, clock);
             RedisSharedCounters b = new RedisSharedCounters(clientB, "attempts", 1024, Duration.ZERO, clock)) {
            for (int i = 0; i < 10; i++) {
                RedisSharedCounters node = i % 2 == 0 ? a : b; // alternating: each node has seen only half itself
                assertThat(signIn.attempt(node, "203.0.113.9")).as("attempt %d", i + 1).isZero();
            }
            assertThat(signIn.attempt(a, "203.0.113.9")).as("the 11th attempt, on a node that made five").isPositive();
            assertThat(signIn.attempt(b, "203.0.113.9")).as("the 12th, on the other").isPositive();
            assertThat(signIn.attempt(a, "198.51.100.7")).as("another address").isZero();
        }
    }

    /** A count the background sync has just sent is waited for too, not answered from before its reply. */
    @Test
    void aSyncedCountWaitsForABatchAlreadyOnItsWay() throws Exception {
        ManualClock clock = new ManualClock(1_800_000_000_000L);
        try (RedisSharedCounters a = new RedisSharedCounters(clientA, "c7", 256, Duration.ZERO, clock);
             RedisSharedCounters b = new RedisSharedCounters(clientB, "c7", 256, Duration.ZERO, clock)) {
            long key = KeyHash.of("guesser");
            a.window(Duration.ofMinutes(1)).incrementAndGet(key, 5);
            a.sync().get(5, TimeUnit.SECONDS);
            SharedCounters.Window wb = b.window(Duration.ofMinutes(1));
            wb.incrementAndGet(key, 1);
            java.util.concurrent.CompletableFuture<Void> onItsWay = b.sync(); // takes the pending count, not yet answered
            assertThat(wb.incrementAndGetSynced(key, 0)).isEqualTo(6);
            assertThat(onItsWay).isDone();
        }
    }
}
