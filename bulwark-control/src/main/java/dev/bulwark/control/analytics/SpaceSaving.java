package dev.bulwark.control.analytics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Space-Saving heavy-hitter sketch (Metwally, Agrawal, El Abbadi 2005): keeps at most
 * {@code capacity} keys; a new key replaces the key with the smallest count and inherits
 * that count as its possible overestimate. Any key seen more than N/capacity times is
 * guaranteed to be present, whatever the number of distinct keys an attacker sends.
 * Thread-safe by a lock held only for one map update.
 */
final class SpaceSaving {
    /** A key's estimated count and the most it may be overestimated by. */
    record Entry(String key, long count, long error) {}

    private static final class Counter {
        long count;
        long error;
    }

    private final int capacity;
    private final Map<String, Counter> counters;
    private long total;

    SpaceSaving(int capacity) {
        this.capacity = capacity;
        this.counters = new HashMap<>(capacity * 2);
    }

    synchronized void add(String key, long weight) {
        total += weight;
        Counter c = counters.get(key);
        if (c != null) {
            c.count += weight;
            return;
        }
        if (counters.size() < capacity) {
            c = new Counter();
            c.count = weight;
            counters.put(key, c);
            return;
        }
        String minKey = null;
        Counter min = null;
        for (Map.Entry<String, Counter> e : counters.entrySet()) {
            if (min == null || e.getValue().count < min.count) {
                min = e.getValue();
                minKey = e.getKey();
            }
        }
        counters.remove(minKey);
        min.error = min.count;
        min.count += weight;
        counters.put(key, min);
    }

    synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(counters.size());
        counters.forEach((k, c) -> out.add(new Entry(k, c.count, c.error)));
        return out;
    }

    synchronized long total() { return total; }

    synchronized void clear() {
        counters.clear();
        total = 0;
    }
}
