package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.observe.AttackRecord;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Attack events reported through the journal, served by the API over real HTTP. */
class AttackApiTest {
    private ControlPlane cp;
    private ControlServer server;
    private ApiClientForTests api;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        cp = ControlPlane.open(new ControlPlane.Settings(TestDatabases.tempDir(), null, null, null, null,
                new InMemorySnapshotBus(), Clock.SYSTEM, Duration.ZERO));
        server = ControlServer.start(cp, "127.0.0.1", 0);
        api = new ApiClientForTests(server.baseUrl());
        admin = cp.bootstrapToken().orElseThrow();
        api.call("POST", "/api/v1/zones", admin, ControlApiTest.zone("shop", "shop.example"));
        api.call("POST", "/api/v1/zones", admin, ControlApiTest.zone("blog", "blog.example"));
        long now = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            cp.attackJournal().report(new AttackRecord("shop-" + i, "shop", now - 600_000 + i * 1000, now - 300_000, 2500 + i, 90, 700, 20,
                    "http.request.uri.path in {\"/login\"}", List.of(), List.of("/login"), List.of(), List.of(), "block"));
        }
        cp.attackJournal().report(new AttackRecord("blog-0", "blog", now - 5_000, 0, 900, 10, 3, 4,
                "ip.prefix in {203.0.113.0/24}", List.of("203.0.113.0/24"), List.of(), List.of(), List.of(), "challenge"));
        assertThat(cp.attackJournal().flush(Duration.ofSeconds(10))).isTrue();
    }

    @AfterEach
    void stop() {
        server.close();
        cp.close();
    }

    private String token(String zones, String permissions) {
        var t = api.call("POST", "/api/v1/tokens", admin, "{\"name\":\"t\",\"zones\":" + zones + ",\"permissions\":" + permissions + "}");
        assertThat(t.status()).as(t.body()).isEqualTo(201);
        return t.json().get("token").asText();
    }

    @Test
    void eventsOfAZoneAndOfEveryZoneAreListedNewestFirstAndPaged() {
        var zone = api.call("GET", "/api/v1/zones/shop/attacks", admin, null);
        assertThat(zone.status()).isEqualTo(200);
        JsonNode items = zone.json().get("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("id").asText()).isEqualTo("shop-2");
        assertThat(items.get(0).get("ongoing").asBoolean()).isFalse();
        assertThat(items.get(0).get("action").asText()).isEqualTo("block");
        assertThat(items.get(0).at("/signature/paths/0").asText()).isEqualTo("/login");
        assertThat(items.get(0).get("peak_rate").asDouble()).isEqualTo(2502);

        ApiClientForTests.Pages all = api.pageThrough("/api/v1/attacks?limit=3", admin);
        assertThat(all.ids()).containsExactly("blog-0", "shop-2", "shop-1", "shop-0");
        assertThat(all.pages()).isEqualTo(2);
        assertThat(api.call("GET", "/api/v1/attacks?limit=0", admin, null).status()).isEqualTo(400);
        assertThat(api.call("GET", "/api/v1/attacks?cursor=!!", admin, null).status()).isEqualTo(400);
    }

    @Test
    void tokensAreCheckedForPermissionAndZone() {
        assertThat(api.call("GET", "/api/v1/attacks", null, null).status()).isEqualTo(401);
        assertThat(api.call("GET", "/api/v1/zones/shop/attacks", null, null).status()).isEqualTo(401);

        String blogOnly = token("[\"blog\"]", "[\"analytics:read\"]");
        assertThat(api.call("GET", "/api/v1/zones/blog/attacks", blogOnly, null).json().get("items")).hasSize(1);
        var other = api.call("GET", "/api/v1/zones/shop/attacks", blogOnly, null);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.contentType()).startsWith("application/problem+json");
        JsonNode mine = api.call("GET", "/api/v1/attacks", blogOnly, null).json().get("items");
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("zone").asText()).isEqualTo("blog");

        String noAnalytics = token("[\"*\"]", "[\"zones:read\"]");
        assertThat(api.call("GET", "/api/v1/attacks", noAnalytics, null).status()).isEqualTo(403);
        assertThat(api.call("GET", "/api/v1/zones/blog/attacks", noAnalytics, null).status()).isEqualTo(403);
    }

    @Test
    void theZonesAnalyticsIncludeTheEventsOfTheirWindow() {
        JsonNode lastMinute = api.call("GET", "/api/v1/zones/shop/analytics?resolution=second&window=60", admin, null).json();
        assertThat(lastMinute.get("attacks")).isEmpty(); // ended five minutes ago
        JsonNode lastHour = api.call("GET", "/api/v1/zones/shop/analytics?resolution=minute&window=60", admin, null).json();
        assertThat(lastHour.get("attacks")).hasSize(3);
        JsonNode blog = api.call("GET", "/api/v1/zones/blog/analytics", admin, null).json();
        assertThat(blog.at("/attacks/0/ongoing").asBoolean()).isTrue();
        assertThat(blog.at("/attacks/0/ended_at").isNull()).isTrue();
    }
}
