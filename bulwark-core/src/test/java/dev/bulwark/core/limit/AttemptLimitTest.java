package dev.bulwark.core.limit;

import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptLimitTest {
    private final ManualClock clock = new ManualClock();
    private final InMemorySharedCounters counters = new InMemorySharedCounters(SketchShape.SMALL, clock);
    private final AttemptLimit signIn = new AttemptLimit("sign-in", 10, Duration.ofMinutes(1));

    @Test
    void allowsTheLimitThenAsksToWaitUntilAttemptsAgeOut() {
        for (int i = 0; i < 10; i++) assertThat(signIn.attempt(counters, "203.0.113.9")).as("attempt %d", i + 1).isZero();
        assertThat(signIn.attempt(counters, "203.0.113.9")).isEqualTo(6); // a minute over ten attempts
        assertThat(signIn.attempt(counters, "198.51.100.7")).as("another address").isZero();
        clock.advance(Duration.ofMinutes(2)); // both windows past
        assertThat(signIn.attempt(counters, "203.0.113.9")).isZero();
    }

    @Test
    void scopesSharingCountersDoNotCountEachOther() {
        AttemptLimit other = new AttemptLimit("appeal", 1, Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) signIn.attempt(counters, "203.0.113.9");
        assertThat(other.attempt(counters, "203.0.113.9")).isZero();
        assertThat(other.attempt(counters, "203.0.113.9")).isEqualTo(60);
    }

    @Test
    void refusesShapesThatCannotLimit() {
        assertThatThrownBy(() -> new AttemptLimit("x", 0, Duration.ofMinutes(1))).hasMessageContaining("at least 1 attempt");
        assertThatThrownBy(() -> new AttemptLimit("x", 5, Duration.ofMillis(10))).hasMessageContaining("at least 1 s");
    }
}
