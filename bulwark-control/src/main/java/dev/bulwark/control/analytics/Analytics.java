package dev.bulwark.control.analytics;

import dev.bulwark.core.observe.RequestEvent;
import dev.bulwark.core.observe.TrafficRecorder;
import dev.bulwark.core.time.Clock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-zone traffic analytics kept in memory by the control plane: what the API's stats
 * endpoints and {@code bulwark stats ZONE} show.
 *
 * <p>Design: the edge calls {@link #record} once per finished request. Each zone owns a
 * {@link ZoneTraffic}: two rings of primitive counters (3600 one-second buckets, 1440
 * one-minute buckets) and 60 per-minute Space-Saving sketches per ranked dimension. Recording
 * is a hash lookup, a handful of atomic adds and one short sketch update; nothing grows with
 * the number of requests or of distinct clients. The number of zones tracked is capped;
 * requests for zones beyond the cap, or for no zone, are counted under {@link #OTHER}.
 * Queries merge the minute sketches of the last hour into one ranking whose counts carry
 * their possible overestimate.
 */
public final class Analytics implements TrafficRecorder {
    /** Where requests with no zone, or beyond the zone cap, are counted. */
    public static final String OTHER = "_other";

    /** Bucket width of a series query. */
    public enum Resolution { SECOND, MINUTE }

    /** One bucket of a series: start (epoch ms) and every counter by name. */
    public record Point(long start, Map<String, Long> values) {}

    /** One ranked key: estimated count and the most that estimate may exceed the truth by. */
    public record TopEntry(String key, long count, long error) {}

    private final Clock clock;
    private final int maxZones;
    private final int sketchCapacity;
    private final ConcurrentHashMap<String, ZoneTraffic> zones = new ConcurrentHashMap<>();

    public Analytics(Clock clock) { this(clock, 10_000, 64); }

    public Analytics(Clock clock, int maxZones, int sketchCapacity) {
        this.clock = clock;
        this.maxZones = maxZones;
        this.sketchCapacity = sketchCapacity;
    }

    @Override
    public void record(RequestEvent event) {
        String zone = event.zone() == null ? OTHER : event.zone();
        ZoneTraffic t = zones.get(zone);
        if (t == null) {
            if (zones.size() >= maxZones) zone = OTHER;
            t = zones.computeIfAbsent(zone, z -> new ZoneTraffic(sketchCapacity));
        }
        t.record(event);
    }

    /** The zones with recorded traffic. */
    public List<String> zones() {
        List<String> out = new ArrayList<>(zones.keySet());
        out.sort(null);
        return out;
    }

    /**
     * Buckets covering the last {@code window} buckets up to now (at most an hour of seconds
     * or a day of minutes), oldest first.
     */
    public List<Point> series(String zone, Resolution resolution, int window) {
        ZoneTraffic t = zones.get(zone);
        int max = resolution == Resolution.SECOND ? ZoneTraffic.SECONDS : ZoneTraffic.MINUTES;
        int n = Math.max(1, Math.min(window, max));
        long now = clock.currentTimeMillis();
        long width = resolution == Resolution.SECOND ? 1000 : 60_000;
        long from = (now / width - n + 1) * width;
        List<Point> out = new ArrayList<>(n);
        if (t == null) {
            for (long s = from; s <= now; s += width) out.add(new Point(s, named(new long[Metric.COUNT])));
            return out;
        }
        Series series = resolution == Resolution.SECOND ? t.perSecond : t.perMinute;
        for (Series.Point p : series.range(from, now)) out.add(new Point(p.startMillis(), named(p.values())));
        return out;
    }

    /** Sums of every counter over the last {@code minutes} minutes. */
    public Map<String, Long> totals(String zone, int minutes) {
        long[] sum = new long[Metric.COUNT];
        ZoneTraffic t = zones.get(zone);
        if (t != null) {
            long now = clock.currentTimeMillis();
            int n = Math.max(1, Math.min(minutes, ZoneTraffic.MINUTES));
            for (Series.Point p : t.perMinute.range(now - (long) (n - 1) * 60_000, now)) {
                for (int m = 0; m < Metric.COUNT; m++) sum[m] += p.values()[m];
            }
        }
        return named(sum);
    }

    /** The {@code limit} heaviest keys of {@code dimension} over the last hour. */
    public List<TopEntry> top(String zone, TopDimension dimension, int limit) {
        ZoneTraffic t = zones.get(zone);
        if (t == null) return List.of();
        long now = clock.currentTimeMillis();
        Map<String, long[]> merged = new HashMap<>();
        for (int slot = 0; slot < ZoneTraffic.TOP_MINUTES; slot++) {
            if (!t.slotCurrent(slot, now)) continue;
            for (SpaceSaving.Entry e : t.top[slot][dimension.ordinal()].entries()) {
                long[] ce = merged.computeIfAbsent(e.key(), k -> new long[2]);
                ce[0] += e.count();
                ce[1] += e.error();
            }
        }
        List<TopEntry> out = new ArrayList<>(merged.size());
        merged.forEach((k, v) -> out.add(new TopEntry(k, v[0], v[1])));
        out.sort(Comparator.comparingLong(TopEntry::count).reversed().thenComparing(TopEntry::key));
        return List.copyOf(out.subList(0, Math.min(limit, out.size())));
    }

    private static Map<String, Long> named(long[] values) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < Metric.COUNT; i++) m.put(Metric.NAMES[i], values[i]);
        return m;
    }
}
