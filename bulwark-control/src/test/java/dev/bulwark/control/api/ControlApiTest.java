package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.store.TestCertificates;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.observe.RequestAction;
import dev.bulwark.core.observe.RequestEvent;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The API over real HTTP on an ephemeral port, against a real SQLite store. */
class ControlApiTest {
    private ControlPlane cp;
    private ControlServer server;
    private ApiClientForTests api;
    private String admin;
    private final InMemorySnapshotBus bus = new InMemorySnapshotBus();

    static String zone(String id, String host) {
        return "{\"id\":\"" + id + "\",\"hostnames\":[\"" + host + "\"],\"origins\":{\"servers\":[{\"url\":\"http://127.0.0.1:9000\"}]}}";
    }

    @BeforeEach
    void start() {
        cp = ControlPlane.open(new ControlPlane.Settings(TestDatabases.tempDir(), null, null, null, null, bus, Clock.SYSTEM, Duration.ZERO));
        server = ControlServer.start(cp, "127.0.0.1", 0);
        api = new ApiClientForTests(server.baseUrl());
        admin = cp.bootstrapToken().orElseThrow();
    }

    @AfterEach
    void stop() {
        server.close();
        cp.close();
    }

    @Test
    void missingOrBadTokensGet401Problems() {
        var r = api.call("GET", "/api/v1/zones", null, null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(401);
        assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(api.call("GET", "/api/v1/zones", admin + "x", null).status()).isEqualTo(401);
        assertThat(api.call("GET", "/api/v1/zones", "bwk_aaaaaaaaaaaa_nope", null).status()).isEqualTo(401);
        assertThat(api.call("GET", "/api/v1/zones", admin, null).status()).isEqualTo(200);
    }

    @Test
    void underAttackModeIsSwitchedByTheApiAndPublished() {
        assertThat(api.call("POST", "/api/v1/zones", admin, zone("shop", "shop.example")).status()).isEqualTo(201);
        var on = api.call("PUT", "/api/v1/zones/shop/under-attack", admin, "{\"enabled\":true}");
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.json().get("under_attack").asBoolean()).isTrue();
        assertThat(bus.latest().config().zones().get(0).challenge().underAttack()).isTrue();
        var off = api.call("PUT", "/api/v1/zones/shop/under-attack", admin, "{\"enabled\":false}");
        assertThat(off.status()).isEqualTo(200);
        assertThat(bus.latest().config().zones().get(0).challenge().underAttack()).isFalse();
        var bad = api.call("PUT", "/api/v1/zones/shop/under-attack", admin, "{\"enabled\":\"yes\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("enabled");
        assertThat(api.call("PUT", "/api/v1/zones/shop/under-attack", null, "{\"enabled\":true}").status()).isEqualTo(401);
    }

    @Test
    void zoneLifecycleCommitsVersionsAndPublishesSnapshots() {
        var created = api.call("POST", "/api/v1/zones", admin, zone("shop", "shop.example"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("version").asLong()).isEqualTo(1);
        assertThat(created.json().at("/zone/origins/servers/0/url").asText()).isEqualTo("http://127.0.0.1:9000");
        assertThat(bus.latest().version()).isEqualTo(1);
        assertThat(bus.latest().config().zones()).hasSize(1);

        var got = api.call("GET", "/api/v1/zones/shop", admin, null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().at("/timeouts/connect").asText()).isEqualTo("5s");

        var put = api.call("PUT", "/api/v1/zones/shop", admin,
                "{\"hostnames\":[\"shop.example\",\"www.shop.example\"],\"origins\":{\"servers\":[{\"url\":\"http://127.0.0.1:9001\"}]}}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().at("/zone/hostnames").size()).isEqualTo(2);
        assertThat(api.call("PUT", "/api/v1/zones/shop", admin, zone("other", "x.example")).status()).isEqualTo(400);

        assertThat(api.call("DELETE", "/api/v1/zones/shop", admin, null).json().get("version").asLong()).isEqualTo(3);
        assertThat(api.call("GET", "/api/v1/zones/shop", admin, null).status()).isEqualTo(404);
        assertThat(api.call("DELETE", "/api/v1/zones/shop", admin, null).status()).isEqualTo(404);
        assertThat(bus.latest().config().zones()).isEmpty();
    }

    @Test
    void validationErrorsAreProblemDetailsNamingTheField() {
        var r = api.call("POST", "/api/v1/zones", admin,
                "{\"id\":\"shop\",\"hostnames\":[\"shop.example\"],\"origins\":{\"servers\":[{\"url\":\"ftp://x\",\"weight\":5000}]}}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("origins.servers[0].url", "origins.servers[0].weight");

        var unknown = api.call("POST", "/api/v1/zones", admin, "{\"id\":\"a\",\"hostnames\":[\"a.example\"],\"origins\":{\"servers\":[{\"url\":\"http://h:1\"}]},\"timeouts\":{\"conect\":\"1s\"}}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().at("/errors/0/field").asText()).isEqualTo("timeouts.conect");

        var notJson = api.call("POST", "/api/v1/zones", admin, "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(api.call("GET", "/api/v1/zones?limit=0", admin, null).json().at("/errors/0/field").asText()).isEqualTo("limit");
        assertThat(cp.store().latestVersion()).isZero();
    }

    @Test
    void scopedTokensSeeOnlyTheirZonesAndPermissions() {
        api.call("POST", "/api/v1/zones", admin, zone("a", "a.example"));
        api.call("POST", "/api/v1/zones", admin, zone("b", "b.example"));
        var t = api.call("POST", "/api/v1/tokens", admin, "{\"name\":\"ci\",\"zones\":[\"a\"],\"permissions\":[\"zones:read\"],\"expires_in\":\"1h\"}");
        assertThat(t.status()).isEqualTo(201);
        String scoped = t.json().get("token").asText();
        assertThat(scoped).startsWith("bwk_");

        assertThat(api.call("GET", "/api/v1/zones/a", scoped, null).status()).isEqualTo(200);
        var forbidden = api.call("GET", "/api/v1/zones/b", scoped, null);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.contentType()).startsWith("application/problem+json");
        assertThat(api.call("PUT", "/api/v1/zones/a", scoped, zone("a", "a.example")).status()).isEqualTo(403);
        assertThat(api.call("GET", "/api/v1/config/versions", scoped, null).status()).isEqualTo(403);
        var list = api.call("GET", "/api/v1/zones", scoped, null).json().get("items");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo("a");
        // a token cannot mint a token wider than itself
        assertThat(api.call("POST", "/api/v1/tokens", scoped, "{\"name\":\"x\",\"permissions\":[\"zones:write\"]}").status()).isEqualTo(403);

        String id = t.json().get("id").asText();
        assertThat(api.call("GET", "/api/v1/tokens", admin, null).body()).contains(id).doesNotContain(scoped);
        assertThat(api.call("DELETE", "/api/v1/tokens/" + id, admin, null).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/v1/zones/a", scoped, null).status()).isEqualTo(401);
        assertThat(api.call("DELETE", "/api/v1/tokens/" + id, admin, null).status()).isEqualTo(404);

        var bad = api.call("POST", "/api/v1/tokens", admin, "{\"name\":\"x\",\"permissions\":[\"zones:fly\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("permissions[0]");
    }

    @Test
    void idempotencyKeyReplaysTheFirstAnswer() {
        var first = api.call("POST", "/api/v1/zones", admin, zone("shop", "shop.example"), "Idempotency-Key", "k-1");
        var again = api.call("POST", "/api/v1/zones", admin, zone("shop", "shop.example"), "Idempotency-Key", "k-1");
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(cp.store().latestVersion()).isEqualTo(1);
        var reused = api.call("POST", "/api/v1/zones", admin, zone("other", "other.example"), "Idempotency-Key", "k-1");
        assertThat(reused.status()).isEqualTo(422);
        // without a key the duplicate is a conflict
        assertThat(api.call("POST", "/api/v1/zones", admin, zone("shop", "shop.example")).status()).isEqualTo(409);
    }

    @Test
    void listingsPageWithLimitAndCursor() {
        for (int i = 0; i < 5; i++) api.call("POST", "/api/v1/zones", admin, zone("z" + i, "z" + i + ".example"));
        ApiClientForTests.Pages zones = api.pageThrough("/api/v1/zones?limit=2", admin);
        assertThat(zones.ids()).containsExactly("z0", "z1", "z2", "z3", "z4");
        assertThat(zones.pages()).isEqualTo(3);
        JsonNode audit = api.call("GET", "/api/v1/audit?limit=3", admin, null).json();
        assertThat(audit.get("items")).hasSize(3);
        JsonNode audit2 = api.call("GET", "/api/v1/audit?limit=3&cursor=" + audit.get("next_cursor").asText(), admin, null).json();
        assertThat(audit2.get("items")).hasSize(3); // 5 zones + the bootstrap operator and token = 7 entries
        JsonNode audit3 = api.call("GET", "/api/v1/audit?limit=3&cursor=" + audit2.get("next_cursor").asText(), admin, null).json();
        assertThat(audit3.get("items")).hasSize(1);
        assertThat(audit3.at("/items/0/action").asText()).isEqualTo("operator.create");
        assertThat(audit3.get("next_cursor").isNull()).isTrue();
        assertThat(api.call("GET", "/api/v1/zones?cursor=!!!", admin, null).status()).isEqualTo(400);
    }

    @Test
    void rulesAndListsPerZone() {
        api.call("POST", "/api/v1/zones", admin, zone("shop", "shop.example"));
        var rule = api.call("POST", "/api/v1/zones/shop/firewall-rules", admin,
                "{\"id\":\"no-admin\",\"expression\":\"http.request.uri.path eq \\\"/admin\\\"\",\"action\":\"block\"}");
        assertThat(rule.status()).isEqualTo(201);
        assertThat(rule.json().at("/rule/action").asText()).isEqualTo("BLOCK");
        assertThat(api.call("POST", "/api/v1/zones/shop/firewall-rules", admin, "{\"id\":\"no-admin\",\"expression\":\"x\"}").status()).isEqualTo(409);
        var noExpr = api.call("POST", "/api/v1/zones/shop/firewall-rules", admin, "{\"action\":\"block\"}");
        assertThat(noExpr.status()).isEqualTo(422);
        assertThat(noExpr.json().at("/errors/0/field").asText()).isEqualTo("expression");
        var badAction = api.call("POST", "/api/v1/zones/shop/firewall-rules", admin, "{\"id\":\"r2\",\"expression\":\"x\",\"action\":\"explode\"}");
        assertThat(badAction.status()).isEqualTo(422);
        assertThat(badAction.json().at("/errors/0/field").asText()).isEqualTo("action");

        assertThat(api.call("GET", "/api/v1/zones/shop/firewall-rules", admin, null).json().get("items")).hasSize(1);
        var upd = api.call("PUT", "/api/v1/zones/shop/firewall-rules/no-admin", admin, "{\"expression\":\"true\",\"action\":\"challenge\",\"mode\":\"log\"}");
        assertThat(upd.json().at("/rule/mode").asText()).isEqualTo("LOG");
        var rl = api.call("POST", "/api/v1/zones/shop/rate-limit-rules", admin, "{\"id\":\"login\",\"requests\":10,\"period\":\"1m\"}");
        assertThat(rl.status()).isEqualTo(201);
        assertThat(rl.json().at("/rule/period").asText()).isEqualTo("1m");
        assertThat(api.call("GET", "/api/v1/zones/shop/rate-limit-rules/login", admin, null).status()).isEqualTo(200);
        assertThat(api.call("DELETE", "/api/v1/zones/shop/firewall-rules/no-admin", admin, null).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/v1/zones/shop/firewall-rules/no-admin", admin, null).status()).isEqualTo(404);

        assertThat(api.call("PUT", "/api/v1/zones/shop/lists/office", admin, "{\"items\":[\"10.0.0.0/8\"]}").status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/v1/zones/shop/lists", admin, null).json().at("/lists/office/0").asText()).isEqualTo("10.0.0.0/8");
        assertThat(api.call("PUT", "/api/v1/lists/bad-bots", admin, "{\"items\":[\"192.0.2.0/24\"]}").status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/v1/lists/bad-bots", admin, null).json().at("/items/0").asText()).isEqualTo("192.0.2.0/24");
        assertThat(bus.latest().config().lists()).containsKey("bad-bots");
        assertThat(api.call("PUT", "/api/v1/lists/Bad_Name", admin, "{\"items\":[]}").status()).isEqualTo(422);
        assertThat(api.call("DELETE", "/api/v1/lists/bad-bots", admin, null).status()).isEqualTo(200);
    }

    @Test
    void versionsDiffRollbackAndAudit() {
        api.call("POST", "/api/v1/zones", admin, zone("shop", "shop.example"));
        api.call("POST", "/api/v1/zones/shop/firewall-rules", admin, "{\"id\":\"r1\",\"expression\":\"true\",\"action\":\"block\"}");
        JsonNode versions = api.call("GET", "/api/v1/config/versions", admin, null).json().get("items");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("author").asText()).startsWith("owner (token ");
        assertThat(api.call("GET", "/api/v1/config/versions/1", admin, null).json().get("document").asText()).contains("shop.example");
        JsonNode diff = api.call("GET", "/api/v1/config/diff?from=1&to=2", admin, null).json();
        assertThat(diff.at("/changes/0/diff").asText()).contains("+- id: r1");
        var rb = api.call("POST", "/api/v1/config/rollback", admin, "{\"version\":1,\"message\":\"undo r1\"}");
        assertThat(rb.status()).isEqualTo(201);
        assertThat(rb.json().get("version").asLong()).isEqualTo(3);
        assertThat(bus.latest().config().zones().get(0).firewall()).isEmpty();
        assertThat(api.call("POST", "/api/v1/config/rollback", admin, "{\"version\":99}").status()).isEqualTo(404);

        JsonNode verify = api.call("GET", "/api/v1/audit/verify", admin, null).json();
        assertThat(verify.get("intact").asBoolean()).isTrue();
        assertThat(verify.get("entries_checked").asLong()).isEqualTo(5); // bootstrap operator and token, three zone changes
        String export = api.call("GET", "/api/v1/audit/export", admin, null).body();
        assertThat(export.lines()).hasSize(5);
        assertThat(api.call("GET", "/api/v1/audit?target=zone:shop", admin, null).json().get("items")).hasSize(3);
    }

    @Test
    void importLoadsAYamlFileAndNamesBadLines() {
        String yaml = "zones:\n  - id: blog\n    hostnames: [blog.example]\n    origins:\n      servers:\n        - url: http://127.0.0.1:9000\n";
        var ok = api.call("POST", "/api/v1/config/import", admin, yaml, "Content-Type", "application/yaml");
        assertThat(ok.status()).isEqualTo(201);
        assertThat(cp.store().zone("blog")).isPresent();
        var bad = api.call("POST", "/api/v1/config/import", admin, yaml.replace("http://", "gopher://"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("zones[0].origins.servers[0].url");
        assertThat(bad.json().at("/errors/0/reason").asText()).contains("line 6");
    }

    @Test
    void analyticsAreServedPerZone() {
        api.call("POST", "/api/v1/zones", admin, zone("shop", "shop.example"));
        long now = System.currentTimeMillis();
        for (int i = 0; i < 20; i++) {
            cp.analytics().record(new RequestEvent("shop", i < 15 ? 200 : 403, 10, 100,
                    i < 15 ? RequestAction.ALLOWED : RequestAction.BLOCKED, "192.0.2." + (i % 2), "/x", "ua", 1000, now));
        }
        JsonNode s = api.call("GET", "/api/v1/zones/shop/analytics?resolution=minute&window=5", admin, null).json();
        assertThat(s.get("points")).hasSize(5);
        assertThat(s.at("/totals_last_hour/requests").asLong()).isEqualTo(20);
        assertThat(s.at("/totals_last_hour/blocked").asLong()).isEqualTo(5);
        JsonNode top = api.call("GET", "/api/v1/zones/shop/analytics/top?dimension=clients&limit=1", admin, null).json();
        assertThat(top.at("/clients/0/count").asLong()).isEqualTo(10);
        assertThat(api.call("GET", "/api/v1/zones/shop/analytics?resolution=hour", admin, null).status()).isEqualTo(400);
    }

    @Test
    void openApiDocumentIsServedWithoutAToken() {
        var r = api.call("GET", "/api/openapi.json", null, null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("paths").has("/api/v1/zones")).isTrue();
        assertThat(doc.get("paths").has("/api/v1/zones/{zone}/firewall-rules/{rule}")).isTrue();
        assertThat(doc.get("paths").has("/api/v1/audit/verify")).isTrue();
    }

    @Test
    void theApiHasItsOwnRateLimit() {
        try (ControlServer tight = ControlServer.start(cp, "127.0.0.1", 0, new ControlApi.Options(0.5, 3))) {
            ApiClientForTests c = new ApiClientForTests(tight.baseUrl());
            for (int i = 0; i < 3; i++) assertThat(c.call("GET", "/api/v1/zones", admin, null).status()).isEqualTo(200);
            var limited = c.call("GET", "/api/v1/zones", admin, null);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
            // another caller has its own budget
            assertThat(c.call("GET", "/api/v1/zones", null, null).status()).isEqualTo(401);
        }
    }

    @Test
    void everyDocumentedOperationExists() {
        // a token that may do almost nothing: every documented route must answer with the API's
        // own problem or JSON, never the framework's "no such endpoint"
        String weak = api.call("POST", "/api/v1/tokens", admin, "{\"name\":\"weak\",\"zones\":[\"x\"],\"permissions\":[\"analytics:read\"]}")
                .json().get("token").asText();
        JsonNode paths = api.call("GET", "/api/openapi.json", null, null).json().get("paths");
        int checked = 0;
        for (var it = paths.fields(); it.hasNext(); ) {
            var path = it.next();
            if (!path.getKey().startsWith("/api/v1")) continue;
            String concrete = path.getKey().replace("{number}", "1").replaceAll("\\{[a-z]+}", "x");
            for (var ops = path.getValue().fieldNames(); ops.hasNext(); ) {
                String method = ops.next();
                if (method.equals("parameters")) continue;
                var r = api.call(method.toUpperCase(), concrete, weak, method.equals("get") || method.equals("delete") ? null : "{}");
                assertThat(r.contentType()).as(method + " " + concrete + " -> " + r.status() + " " + r.body())
                        .matches("application/(json|problem\\+json|x-ndjson).*");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
    }

    @Test
    void ownersAddOperatorsWhoseRoleBoundsTheirTokens() {
        var add = api.call("POST", "/api/v1/operators", admin, "{\"id\":\"tess\",\"name\":\"Tess\",\"role\":\"trust_safety\"}");
        assertThat(add.status()).as(add.body()).isEqualTo(201);
        assertThat(add.json().get("role").asText()).isEqualTo("trust_safety");
        assertThat(api.call("POST", "/api/v1/operators", admin, "{\"id\":\"tess\",\"name\":\"T2\",\"role\":\"viewer\"}").status()).isEqualTo(400);
        var badRole = api.call("POST", "/api/v1/operators", admin, "{\"id\":\"x\",\"name\":\"X\",\"role\":\"king\"}");
        assertThat(badRole.json().at("/errors/0/field").asText()).isEqualTo("role");
        assertThat(api.call("GET", "/api/v1/operators", admin, null).json().get("items")).hasSize(2);

        var t = api.call("POST", "/api/v1/tokens", admin, "{\"name\":\"tess\",\"operator\":\"tess\",\"permissions\":[\"audit:read\"]}");
        assertThat(t.status()).isEqualTo(201);
        var tooMuch = api.call("POST", "/api/v1/tokens", admin, "{\"name\":\"tess2\",\"operator\":\"tess\",\"permissions\":[\"zones:write\"]}");
        assertThat(tooMuch.status()).isEqualTo(403);
        String tess = t.json().get("token").asText();
        assertThat(api.call("GET", "/api/v1/operators", tess, null).status()).isEqualTo(403);
        assertThat(api.call("GET", "/api/v1/audit?target=operator:tess", admin, null).json().get("items")).hasSize(1);
    }

    @Test
    void refusalsAreLoggedWithAddressAndToken() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ControlApi.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            api.call("GET", "/api/v1/zones", null, null);
            String viewer = api.call("POST", "/api/v1/tokens", admin, "{\"name\":\"v\",\"permissions\":[\"zones:read\"]}").json().get("token").asText();
            api.call("POST", "/api/v1/zones", viewer, zone("a", "a.example"));
            List<String> lines = appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("refused 401 GET /api/v1/zones from 127.0.0.1"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("refused 403 POST /api/v1/zones from 127.0.0.1 (token " + viewer.substring(4, 16) + ")"));
        } finally {
            logger.detachAppender(appender);
        }
    }

    // ---- zone certificates as PEM: checked on write, the key never shown again

    private static String zoneWithPem(TestCertificates.Pair pair) {
        ObjectNode z = (ObjectNode) new ObjectMapper().valueToTree(java.util.Map.of("id", "shop", "hostnames", java.util.List.of("shop.example"),
                "origins", java.util.Map.of("servers", java.util.List.of(java.util.Map.of("url", "http://127.0.0.1:9000")))));
        z.putObject("tls").put("cert_pem", pair.certPem()).put("key_pem", pair.keyPem());
        return z.toString();
    }

    @Test
    void aZoneCarriesItsPemAndShowsAFingerprintAndExpiryInsteadOfTheKey() throws Exception {
        TestCertificates.Pair pair = TestCertificates.valid("shop.example");
        var created = api.call("POST", "/api/v1/zones", admin, zoneWithPem(pair));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("PRIVATE KEY");
        JsonNode tls = created.json().at("/zone/tls");
        assertThat(tls.get("key_ref").asText()).startsWith("sha256:");
        assertThat(tls.at("/certificate/public_key_sha256").asText()).isEqualTo(tls.get("key_ref").asText());
        assertThat(Instant.parse(tls.at("/certificate/not_after").asText())).isAfter(Instant.now());
        assertThat(tls.at("/certificate/subject").asText()).isEqualTo("CN=shop.example");
        assertThat(bus.latest().config().zones().getFirst().tls().keyPem()).isEqualTo(pair.keyPem());

        var got = api.call("GET", "/api/v1/zones/shop", admin, null);
        assertThat(got.body()).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY");
        assertThat(api.call("GET", "/api/v1/zones", admin, null).body()).doesNotContain("PRIVATE KEY");

        // what GET shows can be written back as it is (key_ref keeps the stored key)
        ObjectNode back = (ObjectNode) got.json();
        back.putArray("hostnames").add("shop.example").add("www.shop.example");
        var put = api.call("PUT", "/api/v1/zones/shop", admin, back.toString());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(bus.latest().config().zones().getFirst().tls().keyPem()).isEqualTo(pair.keyPem());

        for (String path : new String[]{"/api/v1/audit/export", "/api/v1/config/versions/1", "/api/v1/config/diff?from=0&to=2", "/api/v1/audit"}) {
            var r = api.call("GET", path, admin, null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void aBadPairIsRefusedWith422NamingTheField() {
        TestCertificates.Pair a = TestCertificates.valid("shop.example"), b = TestCertificates.valid("shop.example");
        var mismatch = api.call("POST", "/api/v1/zones", admin, zoneWithPem(new TestCertificates.Pair(a.certPem(), b.keyPem())));
        assertThat(mismatch.status()).isEqualTo(422);
        assertThat(mismatch.contentType()).startsWith("application/problem+json");
        assertThat(mismatch.json().at("/errors/0/field").asText()).isEqualTo("tls.key_pem");
        assertThat(mismatch.body()).doesNotContain("PRIVATE KEY");

        var expired = api.call("POST", "/api/v1/zones", admin, zoneWithPem(TestCertificates.expired("shop.example")));
        assertThat(expired.status()).isEqualTo(422);
        assertThat(expired.json().at("/errors/0/field").asText()).isEqualTo("tls.cert_pem");
        assertThat(expired.json().at("/errors/0/reason").asText()).contains("expired");
        assertThat(cp.store().latestVersion()).isZero();
        assertThat(api.call("POST", "/api/v1/zones", null, zoneWithPem(a)).status()).isEqualTo(401);
    }
}
