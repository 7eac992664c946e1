package dev.bulwark.core.ddos;

import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.bulwark.core.ddos.OriginShield.Admission.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginShieldTest {
    final ManualClock clock = new ManualClock();
    final List<String> log = new ArrayList<>();

    OriginShield.Waiter waiter(String name) {
        return new OriginShield.Waiter() {
            @Override public void granted() { log.add(name + " granted"); }
            @Override public void shed() { log.add(name + " shed"); }
        };
    }

    @Test
    void capsConcurrentOriginRequestsAndQueuesVerifiedFirst() {
        OriginShield shield = new OriginShield(2, 3, clock);
        assertThat(shield.acquire(0, waiter("a"))).isEqualTo(PROCEED);
        assertThat(shield.acquire(0, waiter("b"))).isEqualTo(PROCEED);
        assertThat(shield.acquire(0, waiter("anon1"))).isEqualTo(QUEUED);
        assertThat(shield.acquire(1, waiter("human"))).isEqualTo(QUEUED);
        assertThat(shield.acquire(0, waiter("anon2"))).isEqualTo(QUEUED);
        assertThat(shield.acquire(0, waiter("anon3"))).isEqualTo(QUEUE_FULL);
        // queue full: a verified visitor bumps the newest unverified one
        assertThat(shield.acquire(2, waiter("human2"))).isEqualTo(QUEUED);
        assertThat(log).containsExactly("anon2 shed");
        assertThat(shield.queued()).isEqualTo(3);

        shield.release(false);
        shield.release(false);
        shield.release(false);
        assertThat(log).containsExactly("anon2 shed", "human granted", "human2 granted", "anon1 granted");
        assertThat(shield.inFlight()).isEqualTo(2);
        shield.release(false);
        shield.release(false);
        assertThat(shield.inFlight()).isZero();
    }

    @Test
    void cancelledWaitersAreNotGranted() {
        OriginShield shield = new OriginShield(1, 2, clock);
        shield.acquire(0, waiter("a"));
        OriginShield.Waiter gone = waiter("gone");
        shield.acquire(0, gone);
        shield.acquire(0, waiter("next"));
        assertThat(shield.cancel(gone)).isTrue();
        assertThat(shield.cancel(gone)).isFalse();
        shield.release(false);
        assertThat(log).containsExactly("next granted");
    }

    @Test
    void shedsUnverifiedVisitorsWhenTheOriginStartsFailing() {
        OriginShield shield = new OriginShield(0, 0, clock);
        // a minute of healthy origin: 1% errors
        for (int s = 0; s < 60; s++) {
            for (int i = 0; i < 100; i++) {
                assertThat(shield.acquire(0, waiter("x"))).isEqualTo(PROCEED);
                shield.release(i == 0);
            }
            clock.advanceMillis(1000);
        }
        assertThat(shield.baselineFailureRatio()).isBetween(0.005, 0.02);
        assertThat(shield.shedding()).isFalse();

        // the origin starts timing out on half the requests: shedding within two seconds
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 100; i++) if (shield.acquire(1, waiter("v")) == PROCEED) shield.release(i % 2 == 0);
            clock.advanceMillis(1000);
        }
        assertThat(shield.shedding()).isTrue();
        assertThat(shield.acquire(0, waiter("anon"))).isEqualTo(SHED);
        assertThat(shield.acquire(1, waiter("human"))).isEqualTo(PROCEED);
        shield.release(false);

        // it recovers: after the failure window slides by, shedding stops
        for (int s = 0; s < 12; s++) {
            for (int i = 0; i < 50; i++) if (shield.acquire(1, waiter("v")) == PROCEED) shield.release(false);
            clock.advanceMillis(1000);
        }
        assertThat(shield.shedding()).isFalse();
        assertThat(shield.acquire(0, waiter("anon"))).isEqualTo(PROCEED);
        // the surge did not become the new normal
        assertThat(shield.baselineFailureRatio()).isLessThan(0.1);
    }

    @Test
    void queuedUnverifiedRequestsAreShedWhenSheddingStarts() {
        OriginShield shield = new OriginShield(1, 5, clock);
        for (int i = 0; i < 30; i++) {
            assertThat(shield.acquire(1, waiter("v"))).isEqualTo(PROCEED);
            shield.release(false);
        }
        clock.advanceMillis(1000);
        assertThat(shield.acquire(1, waiter("busy"))).isEqualTo(PROCEED);
        assertThat(shield.acquire(0, waiter("anon"))).isEqualTo(QUEUED);
        assertThat(shield.acquire(1, waiter("human"))).isEqualTo(QUEUED);
        // failures pile up (each release hands the slot on, so re-acquire as verified)
        log.clear();
        for (int i = 0; i < 30; i++) {
            shield.release(true);
            shield.acquire(1, waiter("retry" + i));
        }
        assertThat(log).contains("anon shed", "human granted").doesNotContain("anon granted");
        assertThat(log.indexOf("human granted")).isLessThan(log.indexOf("anon shed"));
    }

    @Test
    void rejectsNegativeSizes() {
        assertThatThrownBy(() -> new OriginShield(-1, 0, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
