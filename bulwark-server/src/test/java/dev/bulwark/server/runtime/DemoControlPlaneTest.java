package dev.bulwark.server.runtime;

import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's control plane: a zone created through the admin API reaches the running edge
 * within a second, and deleting it takes it away again, with no restart.
 */
class DemoControlPlaneTest {
    @TempDir
    static Path dataDir;
    private static Demo demo;

    @BeforeAll
    static void start() throws Exception {
        HostPort any = HostPort.parse("127.0.0.1:0");
        demo = Demo.start(any, any, any, any, dataDir, "off");
    }

    @AfterAll
    static void stop() {
        if (demo != null) demo.shutdown(Duration.ofSeconds(1));
    }

    @Test
    void zoneCreatedThroughTheApiIsServedByTheEdgeWithinASecond() throws Exception {
        String token = demo.control().bootstrapToken().orElseThrow();
        InetSocketAddress edge = demo.node().listeners().get("http");
        assertThat(RawHttp.status(RawHttp.get(edge, "api.test", "/"))).isEqualTo(404);

        String zone = "{\"id\":\"apitest\",\"hostnames\":[\"api.test\"],\"origins\":{\"servers\":[{\"url\":\""
                + demo.origin().url() + "\"}]}}";
        HttpResponse<String> created = api("POST", "/api/v1/zones", token, zone);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> RawHttp.status(RawHttp.get(edge, "api.test", "/")) == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        // the demo zone itself is still served while zones change
        assertThat(RawHttp.status(RawHttp.get(edge, "demo.localhost", "/"))).isEqualTo(200);

        assertThat(api("DELETE", "/api/v1/zones/apitest", token, null).statusCode()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> RawHttp.status(RawHttp.get(edge, "api.test", "/")) == 404);
    }

    @Test
    void requestsThroughTheEdgeShowInTheZonesAnalytics() throws Exception {
        String token = demo.control().bootstrapToken().orElseThrow();
        InetSocketAddress edge = demo.node().listeners().get("http");
        for (int i = 0; i < 5; i++) assertThat(RawHttp.status(RawHttp.get(edge, "demo.localhost", "/echo?probe=analytics"))).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                api("GET", "/api/v1/zones/demo/analytics/top", token, null).body().contains("/echo"));
    }

    @Test
    void everyZoneLinksToTheControlPlanesAbuseForm() throws Exception {
        InetSocketAddress edge = demo.node().listeners().get("http");
        String answer = RawHttp.get(edge, "demo.localhost", "/.well-known/bulwark/abuse");
        assertThat(RawHttp.status(answer)).isEqualTo(302);
        assertThat(answer).containsIgnoringCase("location: " + demo.node().adminUrl() + "/abuse?url=");
        HttpResponse<String> form = api("GET", "/abuse", null, null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).containsIgnoringCase("<form");
    }

    @Test
    void apiRefusesCallsWithoutAToken() throws Exception {
        assertThat(api("GET", "/api/v1/zones", null, null).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(demo.node().adminUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
