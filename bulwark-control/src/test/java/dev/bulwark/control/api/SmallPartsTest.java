package dev.bulwark.control.api;

import dev.bulwark.control.store.Database;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's own rate limiter and idempotency records, with an injected clock. */
class SmallPartsTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void rateLimiterRefillsWithTimeAndKeepsCallersApart() {
        RequestRateLimiter limiter = new RequestRateLimiter(clock, 2, 4, 64);
        for (int i = 0; i < 4; i++) assertThat(limiter.acquire("t:alice")).isZero();
        assertThat(limiter.acquire("t:alice")).isEqualTo(1);
        assertThat(limiter.acquire("t:bob")).isZero();
        clock.advance(Duration.ofMillis(500)); // one token at 2/s
        assertThat(limiter.acquire("t:alice")).isZero();
        assertThat(limiter.acquire("t:alice")).isPositive();
        clock.advance(Duration.ofSeconds(60));
        for (int i = 0; i < 4; i++) assertThat(limiter.acquire("t:alice")).isZero(); // capped at the burst
        assertThat(limiter.acquire("t:alice")).isPositive();
    }

    @Test
    void idempotencyRecordsExpireAfterADay() {
        try (Database db = TestDatabases.open(TestDatabases.Backend.SQLITE)) {
            IdempotencyStore store = new IdempotencyStore(db.jdbi(), clock);
            String fp = IdempotencyStore.fingerprint("POST", "/api/v1/zones", "{}");
            store.save("tok", "k", fp, 201, "{\"version\":1}");
            assertThat(store.find("tok", "k")).get().extracting(IdempotencyStore.Stored::body).isEqualTo("{\"version\":1}");
            assertThat(store.find("other-token", "k")).isEmpty();
            clock.advance(Duration.ofHours(25));
            assertThat(store.find("tok", "k")).isEmpty();
            store.save("tok", "k", fp, 201, "{\"version\":2}");
            assertThat(store.find("tok", "k")).get().extracting(IdempotencyStore.Stored::body).isEqualTo("{\"version\":2}");
            assertThat(IdempotencyStore.fingerprint("POST", "/api/v1/zones", "{ }")).isNotEqualTo(fp);
        }
    }
}
