package dev.bulwark.bench.observe;

import dev.bulwark.edge.observe.EdgeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * What the per-request metrics cost the logging phase: {@link EdgeMetrics#request} on a
 * Prometheus registry, for a refused request (no upstream time) and a proxied one (both
 * latency histograms). Run with {@code -t 2} to see two event loops recording into one zone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class RequestMetricsBenchmark {
    EdgeMetrics metrics;

    @Setup
    public void setup() {
        metrics = new EdgeMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        metrics.request("bench", 200, 1_000, 500);
    }

    @Benchmark
    public void refused() {
        metrics.request("bench", 429, 35_000, -1);
    }

    @Benchmark
    public void proxied() {
        metrics.request("bench", 200, 420_000, 300_000);
    }
}
