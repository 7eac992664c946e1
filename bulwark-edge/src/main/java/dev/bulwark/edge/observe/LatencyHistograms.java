package dev.bulwark.edge.observe;

import dev.bulwark.core.concurrent.ThreadStripes;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The edge's per-zone latency histograms ({@link LatencyHistogram}, one set per meter registry,
 * shared by every edge that records into it, as Micrometer shares a meter registered twice).
 * On a Prometheus registry they are scraped as classic histograms,
 * {@code bulwark_request_duration_seconds{zone}} and {@code bulwark_upstream_duration_seconds{zone}}
 * (buckets, count, sum); on any other registry as Micrometer function timers of the same names
 * (count and total time), so tests and other backends still see them.
 */
final class LatencyHistograms implements MultiCollector {
    static final String REQUEST = "bulwark_request_duration_seconds";
    static final String UPSTREAM = "bulwark_upstream_duration_seconds";
    private static final String REQUEST_HELP = "Time from request head to last response byte";
    private static final String UPSTREAM_HELP = "Time from sending to the origin to its first response byte";
    private static final Map<MeterRegistry, LatencyHistograms> BY_REGISTRY = new WeakHashMap<>();

    private final long[] boundsNanos;
    private final double[] boundsSeconds; // as scraped, +Inf last
    private final ConcurrentHashMap<String, Zone> zones = new ConcurrentHashMap<>();

    /** One zone's two histograms. */
    record Zone(LatencyHistogram request, LatencyHistogram upstream) {}

    private LatencyHistograms(long[] boundsNanos) {
        this.boundsNanos = boundsNanos.clone();
        this.boundsSeconds = new double[boundsNanos.length + 1];
        for (int i = 0; i < boundsNanos.length; i++) boundsSeconds[i] = boundsNanos[i] / 1e9;
        boundsSeconds[boundsNanos.length] = Double.POSITIVE_INFINITY;
    }

    /**
     * The histograms of {@code registry}, made (and registered for scraping) on first use. They
     * hold no reference to the registry, so the weak map lets a registry no one uses go.
     */
    static synchronized LatencyHistograms of(MeterRegistry registry, long[] boundsNanos) {
        return BY_REGISTRY.computeIfAbsent(registry, r -> {
            LatencyHistograms h = new LatencyHistograms(boundsNanos);
            if (r instanceof PrometheusMeterRegistry p) p.getPrometheusRegistry().register(h);
            return h;
        });
    }

    /** The zone's histograms, made on first use (and shown to {@code registry} unless it scrapes this collector). */
    Zone zone(String zone, MeterRegistry registry) {
        Zone z = zones.get(zone);
        return z != null ? z : zones.computeIfAbsent(zone, id -> newZone(id, registry));
    }

    private Zone newZone(String zone, MeterRegistry registry) {
        int stripes = ThreadStripes.perCore(8);
        Zone z = new Zone(new LatencyHistogram(boundsNanos, stripes), new LatencyHistogram(boundsNanos, stripes));
        if (!(registry instanceof PrometheusMeterRegistry)) {
            FunctionTimer.builder("bulwark.request.duration", z.request(), LatencyHistogram::count, LatencyHistogram::sumNanos, TimeUnit.NANOSECONDS)
                    .description(REQUEST_HELP).tag("zone", zone).register(registry);
            FunctionTimer.builder("bulwark.upstream.duration", z.upstream(), LatencyHistogram::count, LatencyHistogram::sumNanos, TimeUnit.NANOSECONDS)
                    .description(UPSTREAM_HELP).tag("zone", zone).register(registry);
        }
        return z;
    }

    @Override
    public MetricSnapshots collect() {
        List<HistogramSnapshot.HistogramDataPointSnapshot> request = new ArrayList<>(), upstream = new ArrayList<>();
        zones.forEach((zone, z) -> {
            Labels labels = Labels.of("zone", zone);
            request.add(point(boundsSeconds, z.request().snapshot(), labels));
            upstream.add(point(boundsSeconds, z.upstream().snapshot(), labels));
        });
        return MetricSnapshots.of(
                new HistogramSnapshot(new MetricMetadata(REQUEST, REQUEST_HELP, Unit.SECONDS), request),
                new HistogramSnapshot(new MetricMetadata(UPSTREAM, UPSTREAM_HELP, Unit.SECONDS), upstream));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(REQUEST, UPSTREAM);
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot point(double[] bounds, LatencyHistogram.Snapshot s, Labels labels) {
        return new HistogramSnapshot.HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, s.counts()), s.sumNanos() / 1e9,
                labels, Exemplars.EMPTY, 0L);
    }
}
