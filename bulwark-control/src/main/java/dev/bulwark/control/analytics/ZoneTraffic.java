package dev.bulwark.control.analytics;

import dev.bulwark.core.observe.RequestEvent;

/**
 * Everything analytics keeps about one zone: per-second counters for an hour, per-minute
 * counters for a day, and per-minute heavy-hitter sketches of client addresses, paths, user
 * agents and network prefixes for the last hour. Fixed size whatever the traffic.
 */
final class ZoneTraffic {
    static final int SECONDS = 3600;
    static final int MINUTES = 1440;
    static final int TOP_MINUTES = 60;

    final Series perSecond = new Series(1000, SECONDS);
    final Series perMinute = new Series(60_000, MINUTES);
    final SpaceSaving[][] top; // [minute slot][dimension]
    private final long[] heldMinute = new long[TOP_MINUTES]; // which minute each sketch slot holds, guarded by itself

    ZoneTraffic(int sketchCapacity) {
        java.util.Arrays.fill(heldMinute, -1);
        top = new SpaceSaving[TOP_MINUTES][TopDimension.values().length];
        for (SpaceSaving[] row : top) for (int d = 0; d < row.length; d++) row[d] = new SpaceSaving(sketchCapacity);
    }

    void record(RequestEvent e) {
        long t = e.epochMillis();
        add(t, Metric.REQUESTS, 1);
        add(t, Metric.BYTES_IN, e.bytesIn());
        add(t, Metric.BYTES_OUT, e.bytesOut());
        int sc = Metric.statusClass(e.status());
        if (sc >= 0) add(t, sc, 1);
        if (e.action() != null) add(t, Metric.ACTION_FIRST + e.action().ordinal(), 1);
        SpaceSaving[] minute = sketchesFor(t);
        if (e.clientAddress() != null) {
            minute[TopDimension.CLIENTS.ordinal()].add(e.clientAddress(), 1);
            minute[TopDimension.PREFIXES.ordinal()].add(Prefixes.of(e.clientAddress()), 1);
        }
        if (e.path() != null) minute[TopDimension.PATHS.ordinal()].add(truncate(e.path()), 1);
        minute[TopDimension.USER_AGENTS.ordinal()].add(e.userAgent() == null ? "" : truncate(e.userAgent()), 1);
    }

    private void add(long t, int metric, long amount) {
        perSecond.add(t, metric, amount);
        perMinute.add(t, metric, amount);
    }

    /** The sketches of {@code t}'s minute, cleared when the slot last held an older minute. */
    private SpaceSaving[] sketchesFor(long t) {
        long minute = t / 60_000;
        int slot = (int) (minute % TOP_MINUTES);
        synchronized (heldMinute) {
            if (heldMinute[slot] < minute) {
                for (SpaceSaving s : top[slot]) s.clear();
                heldMinute[slot] = minute;
            }
        }
        return top[slot];
    }

    /** Whether the sketch slot holds a minute within the hour ending at {@code nowMillis}. */
    boolean slotCurrent(int slot, long nowMillis) {
        long minute = nowMillis / 60_000;
        synchronized (heldMinute) {
            long held = heldMinute[slot];
            return held >= 0 && held > minute - TOP_MINUTES && held <= minute;
        }
    }

    private static String truncate(String s) { return s.length() <= 256 ? s : s.substring(0, 256); }
}
