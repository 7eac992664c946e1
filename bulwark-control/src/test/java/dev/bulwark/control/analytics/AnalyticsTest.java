package dev.bulwark.control.analytics;

import dev.bulwark.core.observe.RequestAction;
import dev.bulwark.core.observe.RequestEvent;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyticsTest {
    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private final Analytics analytics = new Analytics(clock, 4, 16);

    private void hit(String zone, int status, RequestAction action, String ip, String path) {
        analytics.record(new RequestEvent(zone, status, 100, 1000, action, ip, path, "curl/8", 1_000_000, clock.currentTimeMillis()));
    }

    @Test
    void countsPerSecondAndPerMinute() {
        hit("shop", 200, RequestAction.ALLOWED, "192.0.2.1", "/");
        hit("shop", 403, RequestAction.BLOCKED, "192.0.2.1", "/admin");
        clock.advance(Duration.ofSeconds(1));
        hit("shop", 429, RequestAction.RATE_LIMITED, "192.0.2.2", "/");
        List<Analytics.Point> s = analytics.series("shop", Analytics.Resolution.SECOND, 3);
        assertThat(s).hasSize(3);
        assertThat(s.get(1).values()).containsEntry("requests", 2L).containsEntry("blocked", 1L)
                .containsEntry("allowed", 1L).containsEntry("status_4xx", 1L).containsEntry("bytes_out", 2000L);
        assertThat(s.get(2).values()).containsEntry("requests", 1L).containsEntry("rate_limited", 1L);
        assertThat(analytics.totals("shop", 1)).containsEntry("requests", 3L).containsEntry("status_2xx", 1L);
        assertThat(analytics.series("none", Analytics.Resolution.MINUTE, 5)).hasSize(5)
                .allSatisfy(p -> assertThat(p.values().get("requests")).isZero());
    }

    @Test
    void oldBucketsAreRecycledNotMixed() {
        hit("shop", 200, RequestAction.ALLOWED, "192.0.2.1", "/");
        clock.advance(Duration.ofHours(1)); // same second slot, one ring later
        hit("shop", 200, RequestAction.ALLOWED, "192.0.2.1", "/");
        List<Analytics.Point> s = analytics.series("shop", Analytics.Resolution.SECOND, 1);
        assertThat(s.get(0).values()).containsEntry("requests", 1L);
        assertThat(analytics.totals("shop", 61)).containsEntry("requests", 2L);
        clock.advance(Duration.ofDays(2));
        assertThat(analytics.totals("shop", 1440)).containsEntry("requests", 0L);
    }

    @Test
    void topListsFindHeavyHittersAmongManyDistinctClients() {
        for (int i = 0; i < 2000; i++) {
            hit("shop", 200, RequestAction.ALLOWED, "198.51.100.7", "/login");
            hit("shop", 200, RequestAction.ALLOWED, "203.0." + (i % 250) + "." + (i % 7), "/p" + i);
            if (i % 100 == 0) clock.advance(Duration.ofSeconds(10));
        }
        assertThat(analytics.top("shop", TopDimension.CLIENTS, 1)).singleElement()
                .satisfies(e -> {
                    assertThat(e.key()).isEqualTo("198.51.100.7");
                    assertThat(e.count()).isGreaterThanOrEqualTo(2000);
                });
        assertThat(analytics.top("shop", TopDimension.PATHS, 1).get(0).key()).isEqualTo("/login");
        assertThat(analytics.top("shop", TopDimension.PREFIXES, 1).get(0).key()).isEqualTo("198.51.100.0/24");
        assertThat(analytics.top("shop", TopDimension.CLIENTS, 100).size()).isLessThanOrEqualTo(16 * 4);
        clock.advance(Duration.ofMinutes(61));
        assertThat(analytics.top("shop", TopDimension.CLIENTS, 5)).isEmpty();
    }

    @Test
    void zoneCountIsCappedAndIpv6PrefixesAreSlash48() {
        for (int z = 0; z < 10; z++) hit("z" + z, 200, RequestAction.ALLOWED, "2001:db8:abcd:12::1", "/");
        assertThat(analytics.zones()).hasSizeLessThanOrEqualTo(5).contains(Analytics.OTHER);
        assertThat(analytics.top("z0", TopDimension.PREFIXES, 1).get(0).key()).isEqualTo("2001:db8:abcd::/48");
    }
}
