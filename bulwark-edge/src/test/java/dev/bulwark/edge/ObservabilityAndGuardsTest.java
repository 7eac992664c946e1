package dev.bulwark.edge;

import dev.bulwark.core.config.HttpLimits;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Prometheus names, trusted proxies, slow-client and idle deadlines. */
class ObservabilityAndGuardsTest {
    private static TestOrigin origin;
    private static Edge edge;
    private static InetSocketAddress http;
    private static final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        origin = new TestOrigin();
        HttpLimits limits = new HttpLimits(null, null, null, Duration.ofMillis(300), Duration.ofMillis(700), null);
        edge = Edge.start(Configs.create().http().limits(limits).trusted("127.0.0.1/32")
                .zone("app", "app.test", origin.url()).build(), new EdgeServices(prometheus, null, log::add));
        http = edge.boundAddresses().get("http");
    }

    @AfterAll
    static void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void prometheusExportHasTheEdgeMeters() throws Exception {
        RawHttp.exchange(http, "GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n");
        String text = prometheus.scrape();
        assertThat(text).contains("bulwark_requests_total{status=\"2xx\",zone=\"app\"}", "bulwark_request_duration_seconds_bucket",
                "bulwark_upstream_duration_seconds_bucket", "bulwark_connections_open", "bulwark_connections_accepted_total",
                "bulwark_upstream_reuse_ratio", "bulwark_upstream_connections_idle", "bulwark_origin_healthy");
    }

    @Test
    void trustedPeerPassesTheClientAddressOn() throws Exception {
        RawHttp.Response r = RawHttp.exchange(http, "GET /hello HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(origin.last().header("X-Forwarded-For")).as("kept from the trusted peer, with the peer appended").isEqualTo("203.0.113.7, 127.0.0.1");
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"client\":\"203.0.113.7\"")));
    }

    @Test
    void slowHeadersAreCutAtTheHeaderDeadline() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            c.send("GET /hello HTTP/1.1\r\nHost: app");
            long t0 = System.nanoTime();
            c.timeout(5000);
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(origin.requests).noneMatch(s -> s.uri().equals("/hello") && s.header("X-Forwarded-For") == null);
    }

    @Test
    void clientThatStopsSendingItsBodyIsCut() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            c.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100\r\n\r\nonly-part");
            c.timeout(5000);
            assertThat(c.closedByServer()).isTrue();
        }
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"status\":499")));
    }

    @Test
    void silentConnectionIsClosedAtTheHeaderDeadline() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            long t0 = System.nanoTime();
            c.timeout(5000);
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read().status()).isEqualTo(200);
            c.timeout(5000);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void theKeepAliveIdleTimeCountsFromTheEndOfASlowResponse() throws Exception {
        // the idle timer (700 ms) fires twice while the origin takes 1750 ms: a request in flight is no
        // idleness, and the wait for the next request starts when the response ends, not at the last read
        try (RawHttp c = new RawHttp(http)) {
            assertThat(c.send("GET /slow?ms=1750 HTTP/1.1\r\nHost: app.test\r\n\r\n").read().status()).isEqualTo(200);
            long answered = System.nanoTime();
            c.timeout(5000);
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThanOrEqualTo(Duration.ofMillis(560));
        }
    }
}
