package dev.bulwark.bench.attack;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the legitimate users got: every request with the time it was due, its latency and
 * whether it succeeded (2xx in time), so the report can give the whole run and the flood
 * window separately.
 */
final class VisitorTally {
    final LongAdder connectFailed = new LongAdder();
    final LongAdder closedByEdge = new LongAdder();
    private long[] dueAt = new long[1024];
    private long[] latency = new long[1024]; // nanos; -1 = failed
    private int n;
    private final Map<String, Long> failures = new TreeMap<>();
    private final Map<Integer, Long> statuses = new TreeMap<>();

    synchronized void answered(long due, int status, long now) {
        statuses.merge(status, 1L, Long::sum);
        if (status >= 200 && status < 300) {
            add(due, now - due);
        } else {
            failed(due, "status " + status);
        }
    }

    synchronized void failed(long due, String reason) {
        failures.merge(reason, 1L, Long::sum);
        add(due, -1);
    }

    private void add(long due, long nanos) {
        if (n == dueAt.length) {
            dueAt = Arrays.copyOf(dueAt, n * 2);
            latency = Arrays.copyOf(latency, n * 2);
        }
        dueAt[n] = due;
        latency[n++] = nanos;
    }

    /** Requests due in [from, to): count, successes, and latency percentiles of the successes. */
    synchronized Window window(long from, long to) {
        long[] ok = new long[n];
        int total = 0, good = 0;
        for (int i = 0; i < n; i++) {
            if (dueAt[i] < from || dueAt[i] >= to) continue;
            total++;
            if (latency[i] >= 0) ok[good++] = latency[i];
        }
        long[] sorted = Arrays.copyOf(ok, good);
        Arrays.sort(sorted);
        return new Window(total, good, pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
    }

    /**
     * The whole seconds since {@code from} in which requests took longer than {@code thresholdNanos},
     * with how many did and the slowest: one stall of the edge (or of this machine) shows as one
     * second holding many slow requests; scattered seconds mean something else.
     */
    synchronized String slowSeconds(long from, long thresholdNanos) {
        TreeMap<Long, long[]> bySecond = new TreeMap<>(); // second -> {count, slowest nanos}
        for (int i = 0; i < n; i++) {
            if (latency[i] <= thresholdNanos) continue;
            long[] c = bySecond.computeIfAbsent((dueAt[i] - from) / 1_000_000_000L, k -> new long[2]);
            c[0]++;
            c[1] = Math.max(c[1], latency[i]);
        }
        if (bySecond.isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        bySecond.forEach((sec, c) -> sb.append(sb.isEmpty() ? "" : ", ").append("t=").append(sec).append("s ")
                .append(c[0]).append("x max ").append(c[1] / 1_000_000).append("ms"));
        return sb.toString();
    }

    synchronized String failureReasons() { return failures.isEmpty() ? "none" : failures.toString(); }

    synchronized String statuses() { return statuses.toString(); }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** Latencies in milliseconds. */
    record Window(int requests, int succeeded, double p50, double p99, double max) {
        double successPercent() { return requests == 0 ? Double.NaN : 100.0 * succeeded / requests; }
    }
}
