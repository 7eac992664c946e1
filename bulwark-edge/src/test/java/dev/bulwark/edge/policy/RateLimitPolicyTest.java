package dev.bulwark.edge.policy;

import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig.Action;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.time.ManualClock;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.bulwark.edge.policy.Zones.exchange;
import static dev.bulwark.edge.policy.Zones.get;
import static dev.bulwark.edge.policy.Zones.limit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rate-limit rules in the request path, over real sockets, with the edge's clock under the test's control. */
class RateLimitPolicyTest {
    private final ManualClock clock = new ManualClock();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private TestOrigin origin;
    private Edge edge;
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        ZoneConfig app = Zones.zone("app", "app.test", origin.url(),
                List.of(Zones.rule("trusted", "http.request.headers[\"x-trusted\"] eq \"1\"", FirewallRuleConfig.Action.ALLOW)), null,
                List.of(limit("login", "http.request.uri.path eq \"/login\"", 3, Duration.ofSeconds(10), Action.BLOCK, Duration.ofSeconds(60)),
                        limit("slow-down", "http.request.uri.path eq \"/tarpit\"", 1, Duration.ofSeconds(10), Action.TARPIT, Duration.ofSeconds(3)),
                        limit("browse", "http.request.uri.path eq \"/browse\"", 1, Duration.ofSeconds(10), Action.CHALLENGE, Duration.ofSeconds(30)),
                        new RateLimitRuleConfig("shadow", null, "http.request.uri.path eq \"/shadow\"", null, Duration.ofSeconds(10), 1L,
                                Action.BLOCK, null, FirewallRuleConfig.Mode.LOG)),
                Zones.challenge(false));
        edge = Edge.start(Configs.create().http().zone(app).build(), new EdgeServices(new SimpleMeterRegistry(), clock, log::add));
        http = edge.boundAddresses().get("http");
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void overTheLimitGets429WithRetryAfterPerAddressUntilTheBanEnds() throws Exception {
        for (int i = 0; i < 3; i++) assertThat(post("127.0.0.1").status()).isEqualTo(200);
        RawHttp.Response refused = post("127.0.0.1");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("retry-after")).isEqualTo("60");
        assertThat(origin.count()).isEqualTo(3);
        assertThat(post("127.0.0.2").status()).as("another address has its own count").isEqualTo(200);

        clock.advance(Duration.ofSeconds(30)); // the window has passed, the ban has not
        RawHttp.Response stillBanned = post("127.0.0.1");
        assertThat(stillBanned.status()).isEqualTo(429);
        assertThat(stillBanned.header("retry-after")).isEqualTo("30");

        clock.advance(Duration.ofSeconds(31));
        assertThat(post("127.0.0.1").status()).as("the ban lasted the mitigation timeout").isEqualTo(200);
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"status\":429")));
        assertThat(log.stream().filter(l -> l.contains("\"status\":429")).findFirst().orElseThrow())
                .contains("\"action\":\"rate_limited\"", "\"rule\":\"ratelimit:login\"");
    }

    @Test
    void allowRuleSkipsTheRateLimit() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertThat(exchange(http, "127.0.0.3", "POST", "app.test", "/login", "X-Trusted: 1").status()).isEqualTo(200);
        }
    }

    @Test
    void tarpitHoldsThe429BackWithoutBlockingOthers() throws Exception {
        assertThat(get(http, "app.test", "/tarpit").status()).isEqualTo(200);
        long start = System.nanoTime();
        try (RawHttp slow = Zones.from("127.0.0.1", http)) {
            slow.send("GET /tarpit HTTP/1.1\r\nHost: app.test\r\n\r\n");
            // while the answer is held back, the same edge serves others at once
            long other = System.nanoTime();
            assertThat(get(http, "app.test", "/hello").status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - other)).as("the event loop never waits for the tarpit").isLessThan(Duration.ofSeconds(2));
            RawHttp.Response r = slow.read();
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("retry-after")).isEqualTo("3");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"action\":\"tarpitted\"")));
    }

    @Test
    void challengeActionChallengesTheKeyOverTheLimit() throws Exception {
        assertThat(get(http, "app.test", "/browse", "Accept: application/json").status()).isEqualTo(200);
        RawHttp.Response r = get(http, "app.test", "/browse", "Accept: application/json");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("bulwark-mitigated")).isEqualTo("challenge");
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"rule\":\"ratelimit:browse\"")));
    }

    @Test
    void logModeRulesOnlyLog() throws Exception {
        for (int i = 0; i < 3; i++) assertThat(get(http, "app.test", "/shadow").status()).isEqualTo(200);
        assertThat(origin.count()).isEqualTo(3);
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"logged\":\"ratelimit:shadow(block)\"")));
    }

    @Test
    void aReloadKeepsCountsAndBans() throws Exception {
        for (int i = 0; i < 3; i++) assertThat(post("127.0.0.1").status()).isEqualTo(200);
        assertThat(post("127.0.0.1").status()).isEqualTo(429);
        edge.apply(edge.runtime().snapshot().config());
        assertThat(post("127.0.0.1").status()).as("an edit to the config does not lift a ban").isEqualTo(429);
    }

    @Test
    void overHttp2The429CarriesRetryAfter() throws Exception {
        var h = new io.netty.handler.codec.http2.DefaultHttp2Headers(false).method("POST").scheme("http")
                .authority("app.test").path("/login");
        for (int i = 0; i < 4; i++) {
            try (dev.bulwark.edge.support.RawH2 c = new dev.bulwark.edge.support.RawH2(http)) { // one stream per connection
                var r = c.request(h, null);
                if (i < 3) {
                    assertThat(r.status()).isEqualTo(200);
                } else {
                    assertThat(r.status()).isEqualTo(429);
                    assertThat(r.headers().get("retry-after").toString()).isEqualTo("60");
                }
            }
        }
    }

    private RawHttp.Response post(String source) throws Exception {
        return exchange(http, source, "POST", "app.test", "/login");
    }
}
