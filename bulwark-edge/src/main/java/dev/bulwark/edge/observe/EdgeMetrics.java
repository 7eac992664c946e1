package dev.bulwark.edge.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's meters (Micrometer, and for the latency histograms {@link LatencyHistograms}). Prometheus names: {@code bulwark_requests_total{zone,status}},
 * {@code bulwark_request_duration_seconds} and {@code bulwark_upstream_duration_seconds}
 * (histograms, by zone), {@code bulwark_connections_open}, {@code bulwark_connections_accepted_total},
 * {@code bulwark_requests_in_flight}, and the upstream pool: {@code bulwark_upstream_connections_new_total},
 * {@code ..._reused_total}, {@code ..._idle}, {@code ..._active}, {@code bulwark_upstream_reuse_ratio};
 * slow clients cut by a deadline, {@code bulwark_slow_clients_total{reason}} (body_rate, body_timeout,
 * write_timeout), and HTTP/2 floods answered with GOAWAY, {@code bulwark_http2_abuse_total{kind}}.
 * Per-zone meters are created once and cached, so the hot path does one map lookup.
 */
public final class EdgeMetrics {
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    /**
     * Latency histogram buckets (upper bounds in nanos), 250 us to 60 s. A fixed short list (as
     * Prometheus clients use) rather than Micrometer's ~70 percentile buckets: every request
     * records into one or two of these histograms ({@link LatencyHistograms}), and a shorter list
     * is a shorter search and a smaller scrape.
     */
    private static final long[] BUCKETS = java.util.stream.Stream.of(
                    0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0, 30000.0, 60000.0)
            .mapToLong(ms -> (long) (ms * 1_000_000)).toArray();

    private final MeterRegistry registry;
    private final LatencyHistograms latency;
    private final ConcurrentHashMap<String, ZoneMeters> zones = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> slowClients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> http2Abuse = new ConcurrentHashMap<>();
    private final Counter accepted;
    private final Counter upstreamNew;
    private final Counter upstreamReused;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong upstreamIdle = new AtomicLong();
    private final AtomicLong upstreamActive = new AtomicLong();

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = LatencyHistograms.of(registry, BUCKETS);
        accepted = Counter.builder("bulwark.connections.accepted").description("Client connections accepted").register(registry);
        Gauge.builder("bulwark.connections.open", openConnections, AtomicInteger::get).description("Client connections open").register(registry);
        Gauge.builder("bulwark.requests.in.flight", inFlight, AtomicInteger::get).description("Requests being served").register(registry);
        upstreamNew = Counter.builder("bulwark.upstream.connections.new").description("Upstream connections opened").register(registry);
        upstreamReused = Counter.builder("bulwark.upstream.connections.reused").description("Requests sent on a pooled upstream connection").register(registry);
        Gauge.builder("bulwark.upstream.connections.idle", upstreamIdle, AtomicLong::get).description("Idle pooled upstream connections").register(registry);
        Gauge.builder("bulwark.upstream.connections.active", upstreamActive, AtomicLong::get).description("Upstream connections carrying a request").register(registry);
        Gauge.builder("bulwark.upstream.reuse.ratio", this, EdgeMetrics::reuseRatio).description("Share of upstream requests sent on a reused connection").register(registry);
    }

    public MeterRegistry registry() { return registry; }

    public void connectionOpened() { accepted.increment(); openConnections.incrementAndGet(); }

    public void connectionClosed() { openConnections.decrementAndGet(); }

    public AtomicInteger inFlight() { return inFlight; }

    public void upstreamConnection(boolean reused) { (reused ? upstreamReused : upstreamNew).increment(); }

    public AtomicLong upstreamIdle() { return upstreamIdle; }

    public AtomicLong upstreamActive() { return upstreamActive; }

    /** A client cut for being too slow: {@code body_rate}, {@code body_timeout} or {@code write_timeout}. */
    public void slowClient(String reason) {
        slowClients.computeIfAbsent(reason, r -> Counter.builder("bulwark.slow.clients")
                .description("Client connections or streams cut by a slow-client deadline").tag("reason", r).register(registry)).increment();
    }

    /** An HTTP/2 connection answered with GOAWAY (ENHANCE_YOUR_CALM) for a flood of this kind. */
    public void http2Abuse(String kind) {
        http2Abuse.computeIfAbsent(kind, k -> Counter.builder("bulwark.http2.abuse")
                .description("HTTP/2 connections closed for a frame flood").tag("kind", k).register(registry)).increment();
    }

    public double reuseRatio() {
        double reused = upstreamReused.count();
        double total = reused + upstreamNew.count();
        return total == 0 ? 0 : reused / total;
    }

    /** Records a finished request; {@code upstreamNanos} is negative when no origin was asked. */
    public void request(String zone, int status, long totalNanos, long upstreamNanos) {
        String key = zone == null ? "-" : zone;
        ZoneMeters m = zones.get(key); // a plain read: computeIfAbsent costs more even when the key is there
        if (m == null) m = zones.computeIfAbsent(key, this::zoneMeters);
        int cls = status / 100 - 1;
        if (cls >= 0 && cls < 5) m.requests[cls].increment();
        m.latency.request().record(totalNanos);
        if (upstreamNanos >= 0) m.latency.upstream().record(upstreamNanos);
    }

    private ZoneMeters zoneMeters(String zone) {
        Counter[] counters = new Counter[5];
        for (int i = 0; i < 5; i++) {
            counters[i] = Counter.builder("bulwark.requests").description("Requests answered")
                    .tag("zone", zone).tag("status", STATUS_CLASSES[i]).register(registry);
        }
        return new ZoneMeters(counters, latency.zone(zone, registry));
    }

    private record ZoneMeters(Counter[] requests, LatencyHistograms.Zone latency) {}
}
