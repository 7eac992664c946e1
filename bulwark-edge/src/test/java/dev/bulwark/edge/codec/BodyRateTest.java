package dev.bulwark.edge.codec;

import dev.bulwark.core.config.HttpLimits;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.bulwark.edge.codec.BodyRate.Verdict.OK;
import static dev.bulwark.edge.codec.BodyRate.Verdict.TOO_LONG;
import static dev.bulwark.edge.codec.BodyRate.Verdict.TOO_SLOW;
import static org.assertj.core.api.Assertions.assertThat;

/** The body-rate decision on a ManualClock, checked once a second as BodyDeadline does. */
class BodyRateTest {
    private final ManualClock clock = new ManualClock();

    /** 1 KiB/s over 5 s after a 5 s grace, no ceiling (the defaults). */
    private BodyRate meter() { return new BodyRate(HttpLimits.defaults(), clock); }

    private BodyRate.Verdict second(BodyRate r, long bytes) {
        clock.advance(Duration.ofSeconds(1));
        r.received(bytes);
        return r.check();
    }

    @Test
    void aTrickleIsCutWhenTheGraceEndsNotBefore() {
        BodyRate r = meter();
        for (int s = 1; s < 5; s++) assertThat(second(r, 10)).as("second %d, within the grace", s).isEqualTo(OK);
        assertThat(second(r, 10)).as("5 s, 50 bytes: far below 1 KiB/s").isEqualTo(TOO_SLOW);
    }

    @Test
    void nothingAtAllAfterTheHeadIsCutToo() {
        BodyRate r = meter();
        BodyRate.Verdict v = OK;
        int s = 0;
        while (v == OK && s < 60) {
            v = second(r, 0);
            s++;
        }
        assertThat(v).isEqualTo(TOO_SLOW);
        assertThat(s).isEqualTo(5);
    }

    @Test
    void aSteadyBodyJustAboveTheRateRunsForever() {
        BodyRate r = meter();
        for (int s = 0; s < 600; s++) assertThat(second(r, 1100)).isEqualTo(OK);
    }

    @Test
    void aBodyThatStallsLaterIsCutWithinTheWindow() {
        BodyRate r = meter();
        for (int s = 0; s < 30; s++) assertThat(second(r, 100_000)).isEqualTo(OK);
        int s = 0;
        BodyRate.Verdict v = OK;
        while (v == OK && s < 60) {
            v = second(r, 0);
            s++;
        }
        assertThat(v).isEqualTo(TOO_SLOW);
        assertThat(s).as("the last 5 s must carry 5 KiB; the earlier burst does not pay for the stall")
                .isLessThanOrEqualTo(5);
    }

    @Test
    void burstsThatAverageAboveTheRatePass() {
        BodyRate r = meter();
        for (int s = 1; s <= 300; s++) assertThat(second(r, s % 2 == 0 ? 3072 : 0)).as("second %d", s).isEqualTo(OK); // 1.5 KiB/s in 3 KiB bursts
    }

    @Test
    void timeTheEdgeIsNotReadingDoesNotCountAgainstTheClient() {
        BodyRate r = meter();
        assertThat(second(r, 64 * 1024)).isEqualTo(OK);
        r.paused(true); // the origin is slow: autoRead off
        for (int s = 0; s < 120; s++) assertThat(second(r, 0)).isEqualTo(OK);
        r.paused(false);
        assertThat(r.activeNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
        for (int s = 0; s < 10; s++) assertThat(second(r, 2048)).isEqualTo(OK);
    }

    @Test
    void pausesInsideTheWindowAreSkippedNotAveragedIn() {
        BodyRate r = meter();
        for (int s = 0; s < 10; s++) {
            assertThat(second(r, 1200)).isEqualTo(OK);
            r.paused(true);
            clock.advance(Duration.ofSeconds(3)); // three seconds of backpressure after every active second
            assertThat(r.check()).isEqualTo(OK);
            r.paused(false);
        }
    }

    @Test
    void theCeilingCountsOnlyActiveTime() {
        BodyRate r = new BodyRate(HttpLimits.defaults().withBodyRate(null, null, null, Duration.ofSeconds(30)), clock);
        for (int s = 0; s < 20; s++) assertThat(second(r, 1 << 20)).isEqualTo(OK);
        r.paused(true);
        clock.advance(Duration.ofMinutes(10));
        assertThat(r.check()).isEqualTo(OK);
        r.paused(false);
        BodyRate.Verdict v = OK;
        int s = 0;
        while (v == OK && s < 60) {
            v = second(r, 1 << 20);
            s++;
        }
        assertThat(v).isEqualTo(TOO_LONG);
        assertThat(s).isEqualTo(10);
    }

    @Test
    void aZeroRateChecksOnlyTheCeiling() {
        HttpLimits off = HttpLimits.defaults().withBodyRate(0L, null, null, null);
        assertThat(BodyRate.off(off)).isTrue();
        BodyRate r = new BodyRate(off, clock);
        for (int s = 0; s < 100; s++) assertThat(second(r, 0)).isEqualTo(OK);
        assertThat(BodyRate.off(HttpLimits.defaults())).isFalse();
    }
}
