package dev.bulwark.core.limit;

import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedBanTableTest {
    final ManualClock clock = new ManualClock();
    final BoundedBanTable table = new BoundedBanTable(1024, clock, true);

    @Test
    void banExpiresAfterItsTimeout() {
        long k = KeyHash.of("203.0.113.9");
        assertThat(table.isBanned(k)).isFalse();
        table.ban(k, Duration.ofSeconds(60));
        assertThat(table.isBanned(k)).isTrue();
        assertThat(table.remainingNanos(k)).isEqualTo(Duration.ofSeconds(60).toNanos());
        clock.advance(Duration.ofSeconds(59));
        assertThat(table.remainingNanos(k)).isEqualTo(Duration.ofSeconds(1).toNanos());
        clock.advance(Duration.ofSeconds(1));
        assertThat(table.isBanned(k)).isFalse();
        assertThat(table.size()).isZero();
    }

    @Test
    void longerBanWinsAndUnbanLifts() {
        long k = KeyHash.of("k");
        table.ban(k, Duration.ofSeconds(60));
        table.ban(k, Duration.ofSeconds(10)); // shorter: keeps the 60 s
        assertThat(table.remainingNanos(k)).isEqualTo(Duration.ofSeconds(60).toNanos());
        table.ban(k, Duration.ofSeconds(120));
        assertThat(table.remainingNanos(k)).isEqualTo(Duration.ofSeconds(120).toNanos());
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.unban(k)).isTrue();
        assertThat(table.isBanned(k)).isFalse();
        assertThat(table.unban(k)).isFalse();
    }

    @Test
    void expiredSlotsAreReused() {
        for (long i = 0; i < 1024; i++) table.ban(KeyHash.of(i), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        long evictedWhileFilling = table.evictions();
        for (long i = 1024; i < 1024 + 400; i++) table.ban(KeyHash.of(i), Duration.ofSeconds(60));
        assertThat(table.evictions()).isEqualTo(evictedWhileFilling); // expired slots were taken, no live ban lost
        for (long i = 1024; i < 1024 + 400; i++) assertThat(table.isBanned(KeyHash.of(i))).isTrue();
    }

    @Test
    void whenFullTheBanClosestToItsEndIsEvicted() {
        for (long i = 0; i < 10_000; i++) {
            table.ban(KeyHash.of(i), Duration.ofSeconds(10 + i));
            clock.advanceMillis(1);
        }
        assertThat(table.size()).isLessThanOrEqualTo(1024).isGreaterThan(900);
        assertThat(table.evictions()).isGreaterThan(8000);
        // the newest, longest bans survive; the earliest ones were evicted
        int newest = 0, oldest = 0;
        for (long i = 9_900; i < 10_000; i++) if (table.isBanned(KeyHash.of(i))) newest++;
        for (long i = 0; i < 100; i++) if (table.isBanned(KeyHash.of(i))) oldest++;
        assertThat(newest).isGreaterThan(95);
        assertThat(oldest).isLessThan(5);
    }

    @Test
    void labelsAreListedWithLiveBans() {
        table.ban(KeyHash.of("a"), Duration.ofSeconds(5).toNanos(), "flood from a");
        table.ban(KeyHash.of("b"), Duration.ofSeconds(50).toNanos(), "flood from b");
        clock.advance(Duration.ofSeconds(10));
        List<Object> labels = new ArrayList<>();
        table.forEachLive((h, remaining, label) -> labels.add(label));
        assertThat(labels).containsExactly("flood from b");
    }

    @Test
    void rejectsSillyCapacities() {
        assertThatThrownBy(() -> new BoundedBanTable(2, clock)).hasMessageContaining("capacity");
    }

    @Test
    void concurrentBansOfDistinctKeysAreAllFound() throws Exception {
        BoundedBanTable t = new BoundedBanTable(1 << 16, clock);
        Thread[] threads = new Thread[4];
        for (int n = 0; n < threads.length; n++) {
            int base = n * 5000;
            threads[n] = Thread.ofPlatform().start(() -> {
                for (long i = base; i < base + 5000; i++) t.ban(KeyHash.of(i), Duration.ofMinutes(1));
            });
        }
        for (Thread th : threads) th.join(20_000);
        int found = 0;
        for (long i = 0; i < 20_000; i++) if (t.isBanned(KeyHash.of(i))) found++;
        assertThat(t.evictions()).isZero();
        assertThat(found).isEqualTo(20_000);
    }

    /**
     * Ten million distinct attacker keys go through the limiter's structures (a sliding-window
     * estimator and a ban table, every key banned): the heap does not grow with them.
     */
    @Test
    void heapStaysFlatWhileTenMillionDistinctKeysPassThrough() {
        SlidingWindowEstimator estimator = new SlidingWindowEstimator(Duration.ofSeconds(10), SketchShape.DEFAULT, clock);
        BoundedBanTable bans = new BoundedBanTable(1 << 16, clock);
        long before = usedHeapAfterGc();
        long t0 = System.nanoTime();
        for (long i = 0; i < 10_000_000L; i++) {
            long k = KeyHash.of(i);
            if (!bans.isBanned(k) && estimator.observe(k, 1) >= 1) bans.ban(k, 60_000_000_000L, null);
            if ((i & 0xffff) == 0) clock.advanceMillis(1);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long after = usedHeapAfterGc();
        long grown = after - before;
        System.out.printf("10M distinct keys: heap before %,d KiB, after %,d KiB, growth %,d KiB; structures %,d KiB; %d ms%n",
                before / 1024, after / 1024, grown / 1024, (estimator.sizeInBytes() + bans.sizeInBytes()) / 1024, ms);
        assertThat(grown).isLessThan(64L << 20);
        assertThat(bans.size()).isLessThanOrEqualTo(bans.capacity());
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
