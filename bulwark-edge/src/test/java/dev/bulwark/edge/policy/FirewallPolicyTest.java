package dev.bulwark.edge.policy;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.FirewallRuleConfig.Action;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.edge.Edge;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.bulwark.edge.policy.Zones.get;
import static dev.bulwark.edge.policy.Zones.logOnly;
import static dev.bulwark.edge.policy.Zones.rule;
import static dev.bulwark.edge.policy.Zones.skip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Firewall rules in the request path, over real sockets: block, challenge, allow, skip, log, reload. */
class FirewallPolicyTest {
    private TestOrigin origin;
    private Edge edge;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        edge = Edge.start(config(List.of(
                rule("office", "ip.src in $office and http.request.uri.path eq \"/admin\"", Action.ALLOW),
                rule("block-admin", "http.request.uri.path eq \"/admin\"", Action.BLOCK),
                rule("challenge-bots", "lower(http.user_agent) contains \"evilbot\"", Action.CHALLENGE),
                rule("log-search", "starts_with(http.request.uri.path, \"/search\")", Action.LOG),
                logOnly("shadow-block", "http.request.uri.path eq \"/shadow\"", Action.BLOCK))),
                new EdgeServices(meters, null, log::add));
        http = edge.boundAddresses().get("http");
    }

    private BulwarkConfig config(List<dev.bulwark.core.config.FirewallRuleConfig> appRules) {
        ZoneConfig app = Zones.zone("app", "app.test", origin.url(), appRules,
                Map.of("office", List.of("127.0.0.7/32")), null, Zones.challenge(false));
        ZoneConfig guarded = Zones.zone("guarded", "guarded.test", origin.url(), List.of(
                rule("partners", "http.request.headers[\"x-partner\"] eq \"yes\"", Action.ALLOW),
                skip("health-checks", "http.request.uri.path eq \"/health\"", "challenge")),
                null, null, Zones.challenge(true));
        return Configs.create().http().zone(app).zone(guarded).build();
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void blockAnswers403AndNamesTheRule() throws Exception {
        RawHttp.Response r = get(http, "app.test", "/admin");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("content-type")).as("a client that asks for no HTML gets text").startsWith("text/plain");
        assertThat(r.body()).contains("was blocked by the site").contains(r.header("bulwark-request-id"));
        assertThat(origin.count()).as("nothing forwarded").isZero();
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"path\":\"/admin\"")));
        assertThat(line("/admin")).contains("\"status\":403", "\"action\":\"blocked\"", "\"rule\":\"firewall:block-admin\"");
        assertThat(meters.get("bulwark.firewall.rule.matches").tag("zone", "app").tag("rule", "block-admin")
                .functionCounter().count()).isEqualTo(1.0);
        await().until(() -> meters.find("bulwark.requests.mitigated").tag("zone", "app").tag("action", "blocked").counter() != null
                && meters.get("bulwark.requests.mitigated").tag("zone", "app").tag("action", "blocked").counter().count() == 1.0);
        RawHttp.Response browser = get(http, "app.test", "/admin", "Accept: text/html,application/xhtml+xml,*/*;q=0.8");
        assertThat(browser.status()).isEqualTo(403);
        assertThat(browser.header("content-type")).startsWith("text/html");
        assertThat(browser.body()).contains("was blocked by the site").contains(browser.header("bulwark-request-id"));
    }

    @Test
    void allowRuleWinsBeforeALaterBlock() throws Exception {
        try (RawHttp c = Zones.from("127.0.0.7", http)) {
            RawHttp.Response r = c.send("GET /admin HTTP/1.1\r\nHost: app.test\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("path /admin");
        }
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"path\":\"/admin\"")));
        assertThat(line("/admin")).contains("\"action\":\"allowed\"", "\"rule\":\"firewall:office\"");
    }

    @Test
    void allowSkipsTheRemainingSecurityPhasesEvenUnderAttack() throws Exception {
        RawHttp.Response challenged = get(http, "guarded.test", "/page", "Accept: text/html");
        assertThat(challenged.header("bulwark-mitigated")).as("the zone is under attack").isEqualTo("challenge");
        RawHttp.Response partner = get(http, "guarded.test", "/page", "Accept: text/html", "X-Partner: yes");
        assertThat(partner.status()).isEqualTo(200);
        assertThat(partner.body()).isEqualTo("path /page");
    }

    @Test
    void skipRuleSkipsOnlyTheNamedPhase() throws Exception {
        RawHttp.Response health = get(http, "guarded.test", "/health", "Accept: application/json");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("path /health");
        RawHttp.Response other = get(http, "guarded.test", "/status", "Accept: application/json");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("bulwark-mitigated")).isEqualTo("challenge");
    }

    @Test
    void challengeRuleChallengesNavigationsAndDeniesFetches() throws Exception {
        RawHttp.Response page = get(http, "app.test", "/shop", "User-Agent: EvilBot/1.0", "Accept: text/html");
        assertThat(page.header("bulwark-mitigated")).isEqualTo("challenge");
        assertThat(page.header("content-type")).startsWith("text/html");
        assertThat(page.body()).contains("data-nonce=");
        RawHttp.Response api = get(http, "app.test", "/api", "User-Agent: EvilBot/1.0", "Accept: application/json");
        assertThat(api.status()).isEqualTo(403);
        assertThat(api.header("content-type")).startsWith("application/json");
        assertThat(api.body()).contains("\"challenge_required\"");
        RawHttp.Response human = get(http, "app.test", "/shop", "User-Agent: Firefox", "Accept: text/html");
        assertThat(human.status()).isEqualTo(200);
        assertThat(origin.count()).isEqualTo(1);
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"path\":\"/api\"")));
        assertThat(line("/api")).contains("\"action\":\"challenged\"", "\"rule\":\"firewall:challenge-bots\"");
    }

    @Test
    void logRulesAreCountedAndLoggedButNeverChangeTheResponse() throws Exception {
        RawHttp.Response shadow = get(http, "app.test", "/shadow");
        RawHttp.Response search = get(http, "app.test", "/search?q=x");
        assertThat(shadow.status()).isEqualTo(200);
        assertThat(shadow.body()).isEqualTo("path /shadow");
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.body()).isEqualTo("path /search");
        assertThat(origin.count()).isEqualTo(2);
        await().until(() -> log.size() >= 2);
        assertThat(line("/shadow")).contains("\"action\":\"allowed\"", "\"logged\":\"firewall:shadow-block\"");
        assertThat(line("/search")).contains("\"logged\":\"firewall:log-search\"");
        assertThat(edge.policies().ruleMeters().matches("app", "shadow-block")).isEqualTo(1);
        assertThat(edge.policies().ruleMeters().matches("app", "log-search")).isEqualTo(1);
    }

    @Test
    void aBadRuleIsRefusedWithItsPositionAndTheRunningRulesStay() throws Exception {
        BulwarkConfig bad = config(List.of(
                rule("block-admin", "http.request.uri.path eq \"/admin\"", Action.BLOCK),
                rule("typo", "http.request.uri.path eq \"/x\" and http.nope eq \"y\"", Action.BLOCK),
                rule("bad-regex", "http.user_agent matches \"(unclosed\"", Action.BLOCK)));
        assertThatThrownBy(() -> edge.apply(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zone 'app'")
                .hasMessageContaining("typo at 1:")
                .hasMessageContaining("bad-regex at 1:");
        assertThat(get(http, "app.test", "/admin").status()).as("old rules still run").isEqualTo(403);
        assertThat(get(http, "app.test", "/x").status()).isEqualTo(200);
    }

    @Test
    void aGoodReloadReplacesTheRulesAndKeepsTheMatchCount() throws Exception {
        assertThat(get(http, "app.test", "/admin").status()).isEqualTo(403);
        edge.apply(config(List.of(
                rule("block-admin", "http.request.uri.path in {\"/admin\" \"/root\"}", Action.BLOCK))));
        assertThat(get(http, "app.test", "/root").status()).isEqualTo(403);
        assertThat(get(http, "app.test", "/shadow").status()).isEqualTo(200);
        assertThat(meters.get("bulwark.firewall.rule.matches").tag("zone", "app").tag("rule", "block-admin")
                .functionCounter().count()).as("counts carry over a reload").isEqualTo(2.0);
    }

    /**
     * Expect: 100-continue is met only once the phases let a request through, so a refused client
     * is never invited to upload its body; an expectation other than 100-continue gets 417.
     */
    @Test
    void onlyARequestLetThroughIsInvitedToSendItsBody() throws Exception {
        String head = "POST %s HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\nExpect: %s\r\n\r\n";
        try (RawHttp c = new RawHttp(http)) {
            c.send(head.formatted("/admin", "100-continue"));
            assertThat(c.read().status()).as("the refusal comes first, no 100 before it").isEqualTo(403);
        }
        try (RawHttp c = new RawHttp(http)) {
            c.send(head.formatted("/upload", "100-continue"));
            assertThat(c.readHead().status()).isEqualTo(100);
            c.send("hello");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("5");
        }
        assertThat(origin.count()).isEqualTo(1);
        assertThat(origin.last().header("expect")).as("the edge met the expectation itself").isNull();
        try (RawHttp c = new RawHttp(http)) {
            c.send(head.formatted("/upload", "something-else"));
            assertThat(c.read().status()).isEqualTo(417);
        }
        assertThat(origin.count()).as("nothing more forwarded").isEqualTo(1);
    }

    private String line(String path) {
        return log.stream().filter(l -> l.contains("\"path\":\"" + path + "\"")).findFirst().orElseThrow();
    }
}
