package dev.bulwark.edge.observe;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencyHistogramTest {
    private static final long MS = 1_000_000;

    @Test
    void countsEachDurationInTheFirstBucketThatHoldsIt() {
        LatencyHistogram h = new LatencyHistogram(new long[]{MS, 10 * MS}, 4);
        h.record(MS);       // on a bound: that bucket (le)
        h.record(MS + 1);
        h.record(20 * MS);  // past the last: +Inf
        h.record(-5);       // a clock step back counts as zero
        LatencyHistogram.Snapshot s = h.snapshot();
        assertThat(s.counts()).containsExactly(2, 1, 1);
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.sumNanos()).isEqualTo(MS + MS + 1 + 20 * MS);
    }

    @Test
    void threadsOnEveryStripeLoseNothing() throws Exception {
        LatencyHistogram h = new LatencyHistogram(new long[]{MS, 10 * MS}, 2); // more threads than stripes: shared rows
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) threads.add(Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 100_000; i++) h.record(i % 2 == 0 ? MS / 2 : 5 * MS);
        }));
        for (Thread t : threads) t.join();
        assertThat(h.snapshot().counts()).containsExactly(300_000, 300_000, 0);
        assertThat(h.sumNanos()).isEqualTo(300_000L * (MS / 2 + 5 * MS));
    }

    @Test
    void refusesBoundsThatDoNotAscend() {
        assertThatThrownBy(() -> new LatencyHistogram(new long[]{10, 5}, 1)).hasMessageContaining("ascend");
        assertThatThrownBy(() -> new LatencyHistogram(new long[]{10}, 3)).hasMessageContaining("power of two");
    }

    @Test
    void scrapedAsAPrometheusHistogramPerZone() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EdgeMetrics metrics = new EdgeMetrics(registry);
        metrics.request("shop", 200, 300_000, 200_000);    // 0.3 ms, origin 0.2 ms
        metrics.request("shop", 429, 100_000, -1);          // refused: no origin time
        metrics.request("blog", 200, 2 * 60_000 * MS, 5 * MS); // two minutes: past the last bucket
        new EdgeMetrics(registry).request("shop", 200, 300_000, 200_000); // a second edge on the same registry shares them
        String text = registry.scrape();
        assertThat(text).contains(
                "bulwark_request_duration_seconds_bucket{zone=\"shop\",le=\"2.5E-4\"} 1",
                "bulwark_request_duration_seconds_bucket{zone=\"shop\",le=\"5.0E-4\"} 3",
                "bulwark_request_duration_seconds_count{zone=\"shop\"} 3",
                "bulwark_upstream_duration_seconds_count{zone=\"shop\"} 2",
                "bulwark_request_duration_seconds_bucket{zone=\"blog\",le=\"60.0\"} 0",
                "bulwark_request_duration_seconds_bucket{zone=\"blog\",le=\"+Inf\"} 1",
                "bulwark_request_duration_seconds_sum{zone=\"blog\"} 120.0",
                "bulwark_requests_total{status=\"2xx\",zone=\"shop\"} 2");
        assertThat(text).containsOnlyOnce("# TYPE bulwark_request_duration_seconds histogram");
    }
}
