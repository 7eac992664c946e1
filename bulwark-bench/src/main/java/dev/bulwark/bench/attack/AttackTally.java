package dev.bulwark.bench.attack;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the attackers got back, from every event loop: answers by status, connection
 * failures, requests per attacker that passed (2xx), and per 100 ms bucket since the flood
 * started how many were refused, which gives the time to mitigate.
 */
final class AttackTally {
    static final long BUCKET_NANOS = 100_000_000L;
    /** The mitigation must hold this many buckets in a row (1 s) to count. */
    static final int HOLD_BUCKETS = 10;
    static final double MITIGATED_SHARE = 0.95;

    private final AtomicLongArray byStatus = new AtomicLongArray(600);
    final LongAdder connectFailed = new LongAdder();
    final LongAdder closedInFlight = new LongAdder();
    final LongAdder closedIdle = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder connections = new LongAdder();
    private final AtomicLongArray passedByAttacker;
    private final AtomicLongArray refusedByBucket;
    private final AtomicLongArray totalByBucket;
    private volatile long floodStartNanos;

    AttackTally(int attackers, double floodSeconds) {
        passedByAttacker = new AtomicLongArray(Math.max(1, attackers));
        int buckets = (int) Math.ceil(floodSeconds * 1e9 / BUCKET_NANOS) + 2 * HOLD_BUCKETS + 100;
        refusedByBucket = new AtomicLongArray(buckets);
        totalByBucket = new AtomicLongArray(buckets);
    }

    void floodStarted(long nanos) { floodStartNanos = nanos; }

    void answered(int attacker, int status, long nanos) {
        byStatus.incrementAndGet(Math.min(Math.max(status, 0), 599));
        boolean passed = status >= 200 && status < 300;
        if (passed) passedByAttacker.incrementAndGet(attacker);
        bucket(nanos, !passed);
    }

    /** A request the attacker could not get answered: connection refused, closed or reset. */
    void failed(long nanos) { bucket(nanos, true); }

    private void bucket(long nanos, boolean refused) {
        int b = (int) ((nanos - floodStartNanos) / BUCKET_NANOS);
        if (b < 0 || b >= totalByBucket.length()) return;
        totalByBucket.incrementAndGet(b);
        if (refused) refusedByBucket.incrementAndGet(b);
    }

    long answered() {
        long n = 0;
        for (int i = 0; i < byStatus.length(); i++) n += byStatus.get(i);
        return n;
    }

    long passed() {
        long n = 0;
        for (int i = 200; i < 300; i++) n += byStatus.get(i);
        return n;
    }

    long maxPassedByOneAttacker() {
        long max = 0;
        for (int i = 0; i < passedByAttacker.length(); i++) max = Math.max(max, passedByAttacker.get(i));
        return max;
    }

    String statuses() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < byStatus.length(); i++) {
            if (byStatus.get(i) > 0) sb.append(sb.isEmpty() ? "" : " ").append(i).append('=').append(byStatus.get(i));
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }

    /**
     * Seconds from the flood's first request to the end of the first 100 ms bucket from which
     * at least 95 % of attack requests were refused (non-2xx or connection failure) in every
     * non-empty bucket for a second; -1 when that never happened.
     */
    double secondsToMitigate() {
        int n = totalByBucket.length();
        for (int b = 0; b < n; b++) {
            if (totalByBucket.get(b) == 0 || !mitigated(b)) continue;
            boolean holds = true;
            int seen = 0;
            for (int k = b; k < n && seen < HOLD_BUCKETS; k++) {
                if (totalByBucket.get(k) == 0) continue;
                seen++;
                if (!mitigated(k)) { holds = false; break; }
            }
            if (holds && seen > 0) return (b + 1) * (BUCKET_NANOS / 1e9);
        }
        return -1;
    }

    private boolean mitigated(int b) {
        return refusedByBucket.get(b) >= MITIGATED_SHARE * totalByBucket.get(b);
    }

    /** Refused share per second of the flood, for the report: "0s 12%, 1s 99%...". */
    String refusedPerSecond(int seconds) {
        StringBuilder sb = new StringBuilder();
        int per = (int) (1_000_000_000L / BUCKET_NANOS);
        for (int s = 0; s < seconds; s++) {
            long t = 0, r = 0;
            for (int b = s * per; b < (s + 1) * per && b < totalByBucket.length(); b++) {
                t += totalByBucket.get(b);
                r += refusedByBucket.get(b);
            }
            if (t == 0) continue;
            sb.append(sb.isEmpty() ? "" : ", ").append(s).append("s ").append(String.format("%.1f%%/%d", 100.0 * r / t, t));
        }
        return sb.toString();
    }
}
