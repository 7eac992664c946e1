package dev.bulwark.control.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A ring of fixed-width time buckets of primitive counters (one row of {@link Metric#COUNT}
 * longs per bucket). Recording is an index computation and an atomic add; a bucket is
 * zeroed under a lock only when time first moves into it, once per bucket width. Memory
 * is fixed at construction: {@code slots * Metric.COUNT} longs.
 */
final class Series {
    private final long widthMillis;
    private final int slots;
    private final AtomicLongArray bucketOf; // which bucket number each slot currently holds
    private final AtomicLongArray counters;

    Series(long widthMillis, int slots) {
        this.widthMillis = widthMillis;
        this.slots = slots;
        this.bucketOf = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) bucketOf.set(i, -1);
        this.counters = new AtomicLongArray(slots * Metric.COUNT);
    }

    void add(long epochMillis, int metric, long amount) {
        int slot = slotFor(epochMillis / widthMillis);
        if (slot < 0) return; // older than the ring keeps
        counters.addAndGet(slot * Metric.COUNT + metric, amount);
    }

    /** The slot for {@code bucket}, claiming and zeroing it when it held an older bucket; -1 when it holds a newer one. */
    int slotFor(long bucket) {
        int slot = (int) (bucket % slots);
        if (bucketOf.get(slot) != bucket) {
            synchronized (this) {
                long held = bucketOf.get(slot);
                if (held != bucket && held < bucket) {
                    for (int m = 0; m < Metric.COUNT; m++) counters.set(slot * Metric.COUNT + m, 0);
                    bucketOf.set(slot, bucket);
                }
                if (bucketOf.get(slot) != bucket) return -1;
            }
        }
        return slot;
    }

    /** Points from {@code fromMillis} to {@code toMillis} inclusive, one per bucket, zeros where nothing was recorded. */
    List<Point> range(long fromMillis, long toMillis) {
        long first = Math.max(fromMillis / widthMillis, toMillis / widthMillis - slots + 1);
        long last = toMillis / widthMillis;
        List<Point> out = new ArrayList<>((int) Math.max(0, last - first + 1));
        for (long b = first; b <= last; b++) {
            int slot = (int) (b % slots);
            long[] v = new long[Metric.COUNT];
            if (bucketOf.get(slot) == b) {
                for (int m = 0; m < Metric.COUNT; m++) v[m] = counters.get(slot * Metric.COUNT + m);
            }
            out.add(new Point(b * widthMillis, v));
        }
        return out;
    }

    long widthMillis() { return widthMillis; }

    /** One bucket: its start (epoch ms) and its counters indexed by {@link Metric}. */
    record Point(long startMillis, long[] values) {}
}
