package dev.bulwark.cluster.limit;

import dev.bulwark.core.limit.KeyHash;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.spi.Blocklist;
import dev.bulwark.core.time.Clock;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisBlocklistTest {
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
    void twoNodesSeeEachOthersBansAndUnbans() {
        try (RedisBlocklist a = new RedisBlocklist(clientA, "t1", 1024, Duration.ZERO, Clock.SYSTEM);
             RedisBlocklist b = new RedisBlocklist(clientB, "t1", 1024, Duration.ZERO, Clock.SYSTEM)) {
            a.ban(Cidr.parse("203.0.113.0/24"), Duration.ofMinutes(5), "flood");
            b.banKey("token:leaked", Duration.ofMinutes(5), "abuse report 17");
            assertThat(a.isBanned(Cidr.literal("203.0.113.9"))).isTrue(); // own ban: at once

            await().atMost(Duration.ofSeconds(5)).until(() -> b.isBanned(Cidr.literal("203.0.113.200")));
            await().atMost(Duration.ofSeconds(5)).until(() -> a.isKeyBanned(Blocklist.keyHash("token:leaked")));
            assertThat(b.isBanned(Cidr.literal("203.0.114.1"))).isFalse();
            assertThat(b.list(10)).extracting(Blocklist.Ban::subject).containsExactlyInAnyOrder("203.0.113.0/24", "token:leaked");
            assertThat(a.list(10)).filteredOn(ban -> ban.kind() == Blocklist.Kind.KEY).singleElement()
                    .satisfies(ban -> assertThat(ban.reason()).isEqualTo("abuse report 17"));

            b.unban(Cidr.parse("203.0.113.0/24"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !a.isBanned(Cidr.literal("203.0.113.9")));
        }
    }

    @Test
    void aRateLimitBanOnOneNodeIsEnforcedByTheOther() {
        try (RedisBlocklist a = new RedisBlocklist(clientA, "t3", 1024, Duration.ZERO, Clock.SYSTEM);
             RedisBlocklist b = new RedisBlocklist(clientB, "t3", 1024, Duration.ZERO, Clock.SYSTEM)) {
            long key = KeyHash.of("zone/rule/203.0.113.9");
            assertThat(a.rateLimitBans().ban(key, Duration.ofMinutes(10).toNanos(), "per-ip")).isTrue();
            assertThat(a.rateLimitBans().remainingNanos(key)).isGreaterThan(Duration.ofMinutes(9).toNanos());
            await().atMost(Duration.ofSeconds(5)).until(() -> b.rateLimitBans().remainingNanos(key) > 0);
            assertThat(b.rateLimitBans().remainingNanos(key)).isGreaterThan(Duration.ofMinutes(9).toNanos());
            assertThat(b.isKeyBanned(key)).isTrue();
            assertThat(b.rateLimitBans().remainingNanos(KeyHash.of("someone else"))).isZero();
            assertThat(b.list(10)).singleElement().satisfies(ban -> {
                assertThat(ban.subject()).isEqualTo("#" + Long.toHexString(key));
                assertThat(ban.reason()).isEqualTo("rate limit per-ip");
            });
            try (RedisBlocklist late = new RedisBlocklist(clientB, "t3", 1024, Duration.ZERO, Clock.SYSTEM)) {
                assertThat(late.rateLimitBans().remainingNanos(key)).isPositive(); // loaded from the sorted set
            }
        }
    }

    @Test
    void aNodeStartingLaterLoadsLiveBans() {
        try (RedisBlocklist a = new RedisBlocklist(clientA, "t2", 1024, Duration.ZERO, Clock.SYSTEM)) {
            a.ban(Cidr.parse("2001:db8:abcd::/48"), Duration.ofMinutes(5), "v6 flood");
            a.ban(Cidr.parse("192.0.2.1"), Duration.ofMillis(1), "expires at once");
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                try (RedisBlocklist late = new RedisBlocklist(clientB, "t2", 1024, Duration.ZERO, Clock.SYSTEM)) {
                    return late.isBanned(Cidr.literal("2001:db8:abcd:1::1")) && !late.isBanned(Cidr.literal("192.0.2.1"))
                            && late.list(10).size() == 1;
                }
            });
        }
    }
}
