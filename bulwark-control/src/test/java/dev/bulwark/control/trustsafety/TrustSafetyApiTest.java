package dev.bulwark.control.trustsafety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.api.ControlServer;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Role;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The trust-and-safety routes over real HTTP on an ephemeral port, against a real SQLite store. */
class TrustSafetyApiTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-09-01T08:00:00Z").toEpochMilli());
    private final InMemorySnapshotBus bus = new InMemorySnapshotBus();
    private ControlPlane cp;
    private ControlServer server;
    private String owner, alice, bob, victor;

    record Reply(int status, String contentType, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    @BeforeEach
    void start() {
        cp = ControlPlane.open(new ControlPlane.Settings(TestDatabases.tempDir(), null, null, null, null, bus, clock, Duration.ZERO));
        cp.trustSafety().settings(new TrustSafety.Settings("https://abuse.bulwark.example", EscalationDetector.Settings.defaults(), Duration.ZERO));
        server = ControlServer.start(cp, "127.0.0.1", 0);
        owner = cp.bootstrapToken().orElseThrow();
        alice = token("alice", Role.TRUST_SAFETY);
        bob = token("bob", Role.TRUST_SAFETY);
        victor = token("victor", Role.VIEWER);
        Reply z = call("127.0.0.1", "POST", "/api/v1/zones", owner, "application/json",
                "{\"id\":\"forum\",\"hostnames\":[\"forum.example\"],\"origins\":{\"servers\":[{\"url\":\"http://127.0.0.1:9\"}]}}");
        assertThat(z.status()).isEqualTo(201);
    }

    private String token(String name, Role role) {
        cp.tokens().createOperator(name, "default", name, role);
        return cp.tokens().create(null, name, name, Set.of("*"), EnumSet.copyOf(role.permissions()), null).secret();
    }

    @AfterEach
    void stop() {
        server.close();
        cp.close();
    }

    private Reply call(String from, String method, String path, String token, String type, String body) {
        try {
            HttpClient http = HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) b.header("Authorization", "Bearer " + token);
            if (type != null) b.header("Content-Type", type);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    private Reply json(String method, String path, String token, String body) {
        return call("127.0.0.1", method, path, token, body == null ? null : "application/json", body);
    }

    private static String form(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            b.append(b.isEmpty() ? "" : "&").append(kv[i]).append('=').append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void thePublicReportsWithoutATokenAndBadInputGetsFieldErrorsAndNothingStored() {
        Reply ok = json("POST", "/api/v1/abuse-reports", null,
                "{\"category\":\"doxxing\",\"urls\":[\"https://forum.example/t/5\"],\"description\":\"my address was posted\",\"forward_to_owner\":true}");
        assertThat(ok.status()).isEqualTo(201);
        String id = ok.json().get("id").asText();
        assertThat(id).startsWith("rep_");
        assertThat(ok.json().get("zone").asText()).isEqualTo("forum");
        assertThat(cp.trustSafety().reports().find(id)).isPresent();

        Reply bad = json("POST", "/api/v1/abuse-reports", null,
                "{\"category\":\"copyright\",\"urls\":[\"https://unknown.example/\"],\"description\":\"\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("urls[0]", "description", "reporter_name", "reporter_contact");
        assertThat(json("POST", "/api/v1/abuse-reports", null, "[1,2]").status()).isEqualTo(400);
        assertThat(cp.trustSafety().reports().list(null, null, 10)).hasSize(1);

        Reply got = json("GET", "/api/v1/abuse-reports/" + id, alice, null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().at("/report/category").asText()).isEqualTo("doxxing");
        assertThat(json("GET", "/api/v1/abuse-reports/" + id, null, null).status()).isEqualTo(401);
        assertThat(json("GET", "/api/v1/abuse-reports/" + id, victor, null).status()).isEqualTo(403);
        assertThat(json("GET", "/api/v1/abuse-queue", alice, null).json().at("/items/0/severest").asText()).isEqualTo("doxxing");
    }

    @Test
    void theFormIsPlainHtmlAndPostsWithoutScripts() {
        Reply page = call("127.0.0.1", "GET", "/abuse?url=https://forum.example/t/1", null, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
        assertThat(page.body()).contains("<form method=\"post\" action=\"/abuse\">").contains("value=\"threat_to_life\"")
                .contains("https://forum.example/t/1").doesNotContain("<script").doesNotContain("src=");

        Reply sent = call("127.0.0.2", "POST", "/abuse", null, "application/x-www-form-urlencoded",
                form("category", "harassment", "urls", "https://forum.example/t/1\r\nhttps://forum.example/t/2", "description", "a pile-on"));
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.body()).contains("Report received").containsPattern("rep_[0-9a-f]{20}");

        Reply refused = call("127.0.0.2", "POST", "/abuse", null, "application/x-www-form-urlencoded",
                form("category", "csam", "urls", "https://forum.example/x", "description", "<b>material</b>", "forward_to_owner", "yes"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("never forwarded").contains("&lt;b&gt;material&lt;/b&gt;").doesNotContain("<b>material");
        assertThat(cp.trustSafety().reports().list(null, null, 10)).hasSize(1);
    }

    @Test
    void submissionsAreLimitedPerAddress() {
        String body = "{\"category\":\"other\",\"urls\":[\"https://forum.example/\"],\"description\":\"spam\"}";
        for (int i = 0; i < 5; i++) assertThat(call("127.0.0.3", "POST", "/api/v1/abuse-reports", null, "application/json", body).status()).isEqualTo(201);
        Reply limited = call("127.0.0.3", "POST", "/api/v1/abuse-reports", null, "application/json", body);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(call("127.0.0.4", "POST", "/api/v1/abuse-reports", null, "application/json", body).status()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(13));
        assertThat(call("127.0.0.3", "POST", "/api/v1/abuse-reports", null, "application/json", body).status()).isEqualTo(201);
    }

    @Test
    void terminationThroughTheApiNeedsTwoOperatorsAndShowsInTheTransparencyReport() {
        String rep = json("POST", "/api/v1/abuse-reports", null,
                "{\"category\":\"threat_to_life\",\"urls\":[\"https://forum.example/t/9\"],\"description\":\"a named person is threatened\"}")
                .json().get("id").asText();
        assertThat(json("GET", "/api/v1/escalation-alerts?zone=forum", alice, null).json().get("items").size()).isEqualTo(3);
        String terminate = "{\"zone\":\"forum\",\"type\":\"terminate\",\"reason\":\"Threats against named people.\","
                + "\"statement_url\":\"https://bulwark.example/statements/forum\",\"report_ids\":[\"" + rep + "\"]}";
        assertThat(json("POST", "/api/v1/enforcement-actions", victor, terminate).status()).isEqualTo(403);
        Reply proposed = json("POST", "/api/v1/enforcement-actions", alice, terminate);
        assertThat(proposed.status()).isEqualTo(202);
        assertThat(proposed.json().get("status").asText()).isEqualTo("proposed");
        String id = proposed.json().get("id").asText();
        Reply self = json("POST", "/api/v1/enforcement-actions/" + id + "/approve", alice, null);
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.contentType()).startsWith("application/problem+json");
        assertThat(json("POST", "/api/v1/enforcement-actions/" + id + "/approve", victor, null).status()).isEqualTo(403);
        clock.advance(Duration.ofMinutes(20));
        Reply approved = json("POST", "/api/v1/enforcement-actions/" + id + "/approve", bob, null);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().get("status").asText()).isEqualTo("applied");
        ZoneConfig forum = bus.latest().config().zones().get(0);
        assertThat(forum.enforcement().terminated()).isTrue();
        assertThat(forum.enforcement().reportUrl()).isEqualTo("https://abuse.bulwark.example/abuse");

        JsonNode t = json("GET", "/api/v1/transparency?period=2026-H2", null, null).json();
        assertThat(t.at("/reports_by_category/threat_to_life").asInt()).isEqualTo(1);
        assertThat(t.at("/actions_by_type/terminate").asInt()).isEqualTo(1);
        assertThat(t.get("zones_affected").asInt()).isEqualTo(1);
        assertThat(t.get("median_minutes_threat_to_action").asDouble()).isEqualTo(20.0);
        assertThat(json("GET", "/api/v1/transparency?period=2026-H3", null, null).status()).isEqualTo(400);
        Reply page = call("127.0.0.1", "GET", "/transparency?period=2026-H2", null, null, null);
        assertThat(page.body()).contains("Transparency report 2026-H2").contains("Threats of violence or to life");

        assertThat(json("PUT", "/api/v1/transparency/statements/legal", owner, "{\"title\":\"Legal requests\",\"body\":\"We publish them.\"}").status()).isEqualTo(200);
        assertThat(json("PUT", "/api/v1/transparency/statements/legal", alice, "{\"title\":\"x\",\"body\":\"y\"}").status()).isEqualTo(403);

        Reply appeal = json("POST", "/api/v1/enforcement-actions/" + id + "/appeals", null,
                "{\"appellant\":\"owner@forum.example\",\"statement\":\"the threads are gone\"}");
        assertThat(appeal.status()).isEqualTo(201);

        Reply restored = json("POST", "/api/v1/zones/forum/restore", bob, "{\"reason\":\"reviewed\"}");
        assertThat(restored.status()).isEqualTo(201);
        assertThat(bus.latest().config().zones().get(0).enforcement().terminated()).isFalse();
        assertThat(json("GET", "/api/v1/audit/verify", owner, null).json().get("intact").asBoolean()).isTrue();
        assertThat(json("GET", "/api/v1/audit?target=enforcement:" + id, owner, null).json().get("items").size()).isGreaterThanOrEqualTo(3);
    }
}
