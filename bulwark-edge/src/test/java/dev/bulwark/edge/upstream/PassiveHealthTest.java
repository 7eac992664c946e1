package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.OriginPoolConfig.Balance;
import dev.bulwark.core.config.PassiveHealthConfig;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class PassiveHealthTest {
    private final ManualClock clock = new ManualClock();
    private final OriginPool pool = OriginPool.of(
            Pools.config(Balance.ROUND_ROBIN, new PassiveHealthConfig(3, Duration.ofSeconds(10)), 1, 1), clock);
    private final Origin origin = pool.origins().get(0);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            origin.onRequestStart();
            origin.onRequestEnd(false);
        }
    }

    @Test
    void ejectedAfterConsecutiveFailuresAndBackAfterTheEjectionTime() {
        fail(2);
        assertThat(origin.available()).isTrue();
        fail(1);
        assertThat(origin.available()).isFalse();
        assertThat(origin.ejected()).isTrue();
        assertThat(origin.outstanding()).isZero();
        for (int i = 0; i < 20; i++) assertThat(pool.pick()).isNotSameAs(origin);

        clock.advance(Duration.ofMillis(9_999));
        assertThat(origin.available()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(origin.available()).isTrue();
        assertThat(origin.ejected()).isFalse();
    }

    @Test
    void aSuccessBreaksTheStreak() {
        fail(2);
        origin.onRequestStart();
        origin.onRequestEnd(true);
        fail(2);
        assertThat(origin.available()).isTrue();
        fail(1);
        assertThat(origin.available()).isFalse();
    }

    @Test
    void connectFailuresCount() {
        origin.onConnectFailure();
        origin.onConnectFailure();
        assertThat(origin.available()).isTrue();
        origin.onConnectFailure();
        assertThat(origin.available()).isFalse();
        assertThat(origin.outstanding()).isZero();
    }

    @Test
    void onProbationOneFailureEjectsAgainForLonger() {
        fail(3);
        clock.advance(Duration.ofSeconds(10));
        assertThat(origin.available()).isTrue();

        fail(1); // probation: no second streak needed
        assertThat(origin.available()).isFalse();
        clock.advance(Duration.ofSeconds(19));
        assertThat(origin.available()).as("second ejection lasts twice as long").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(origin.available()).isTrue();

        fail(1);
        clock.advance(Duration.ofSeconds(39));
        assertThat(origin.available()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(origin.available()).isTrue();
    }

    @Test
    void ejectionGrowthIsBounded() {
        fail(3);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(10L * Origin.MAX_EJECTION_MULTIPLIER));
            assertThat(origin.available()).isTrue();
            fail(1);
            assertThat(origin.available()).isFalse();
        }
        clock.advance(Duration.ofSeconds(10L * Origin.MAX_EJECTION_MULTIPLIER));
        assertThat(origin.available()).isTrue();
    }

    @Test
    void aSuccessOnProbationRestoresNormalTolerance() {
        fail(3);
        clock.advance(Duration.ofSeconds(10));
        assertThat(origin.available()).isTrue();
        origin.onRequestStart();
        origin.onRequestEnd(true);
        fail(2);
        assertThat(origin.available()).isTrue();
        fail(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(origin.available()).as("streak reset: base ejection again").isTrue();
    }

    @Test
    void failuresOfRequestsStartedBeforeTheEjectionDoNotExtendIt() {
        for (int i = 0; i < 5; i++) origin.onRequestStart();
        for (int i = 0; i < 3; i++) origin.onRequestEnd(false);
        assertThat(origin.ejected()).isTrue();
        clock.advance(Duration.ofSeconds(5));
        origin.onRequestEnd(false);
        origin.onRequestEnd(false);
        clock.advance(Duration.ofSeconds(5));
        assertThat(origin.available()).isTrue();
        assertThat(origin.outstanding()).isZero();
    }

    @Test
    void concurrentFailuresEjectOnce() throws Exception {
        int threads = 4;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try { go.await(); } catch (InterruptedException e) { return; }
                for (int i = 0; i < 1_000; i++) origin.onConnectFailure();
            }));
        }
        go.countDown();
        for (Thread t : ts) t.join(10_000);
        assertThat(origin.ejected()).isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(origin.available()).as("ejected once for the base time, not re-ejected per thread").isTrue();
    }

    @Test
    void aSuccessEndsProbationEvenBeforeAnyoneAskedForAvailability() {
        fail(3);
        clock.advance(Duration.ofSeconds(10));
        origin.onRequestStart();
        origin.onRequestEnd(true); // no available() call in between
        fail(2);
        assertThat(origin.available()).as("full tolerance again, not probation").isTrue();
    }

    @Test
    void aSuccessDuringTheEjectionDoesNotEndProbation() {
        origin.onRequestStart();
        fail(3);
        origin.onRequestEnd(true); // started before the ejection
        clock.advance(Duration.ofSeconds(10));
        assertThat(origin.available()).isTrue();
        fail(1);
        assertThat(origin.available()).as("still on probation").isFalse();
    }

    @Test
    void otherOriginsAreUnaffected() {
        fail(3);
        Origin other = pool.origins().get(1);
        assertThat(other.available()).isTrue();
        for (int i = 0; i < 10; i++) assertThat(pool.pick()).isSameAs(other);
    }
}
