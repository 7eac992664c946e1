package dev.bulwark.edge.policy;

import dev.bulwark.core.challenge.InMemoryKeyRing;
import dev.bulwark.core.challenge.PowSolver;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.limit.InMemorySharedCounters;
import dev.bulwark.core.limit.SketchShape;
import dev.bulwark.core.spi.SharedCounters;
import dev.bulwark.core.time.Clock;
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
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bulwark.edge.policy.Zones.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two edges given the same key ring and counters through {@link EdgeServices}, as cluster
 * nodes are (there with the Redis implementations): a clearance earned on one passes on the
 * other, and a rate limit counts the requests both received.
 */
class SharedStateTest {
    private static final String UA = "User-Agent: shared-test";
    private static final String NAVIGATE = "Accept: text/html";

    private TestOrigin origin;
    private Edge a;
    private Edge b;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        BulwarkConfig config = Configs.create().http().zone(Zones.zone("app", "app.test", origin.url(), List.of(), null,
                List.of(Zones.limit("api", "starts_with(http.request.uri.path, \"/api\")", 4, Duration.ofMinutes(1),
                        RateLimitRuleConfig.Action.BLOCK, Duration.ofMinutes(1))), Zones.challenge(true))).build();
        InMemoryKeyRing keys = new InMemoryKeyRing(Clock.SYSTEM);
        SharedCounters counters = new InMemorySharedCounters(SketchShape.DEFAULT, Clock.SYSTEM);
        a = Edge.start(config, new EdgeServices(new SimpleMeterRegistry(), null, null).withKeyRing(keys).withCounters(counters));
        b = Edge.start(config, new EdgeServices(new SimpleMeterRegistry(), null, null).withKeyRing(keys).withCounters(counters));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        origin.close();
    }

    @Test
    void aClearanceEarnedOnOneEdgePassesOnTheOther() throws Exception {
        String cookie = solve(a.boundAddresses().get("http"));
        RawHttp.Response onB = get(b.boundAddresses().get("http"), "app.test", "/page", UA, NAVIGATE, cookie);
        assertThat(onB.status()).isEqualTo(200);
        assertThat(onB.body()).isEqualTo("path /page");
    }

    @Test
    void aRateLimitCountsRequestsToBothEdges() throws Exception {
        String cookie = solve(a.boundAddresses().get("http"));
        for (Edge e : List.of(a, b, a, b)) {
            assertThat(get(e.boundAddresses().get("http"), "app.test", "/api/x", UA, cookie).status()).isEqualTo(200);
        }
        assertThat(get(b.boundAddresses().get("http"), "app.test", "/api/x", UA, cookie).status()).isEqualTo(429);
    }

    private static String solve(InetSocketAddress edge) throws Exception {
        RawHttp.Response page = get(edge, "app.test", "/page", UA, NAVIGATE);
        byte[] nonce = HexFormat.of().parseHex(find("data-nonce=\"([0-9a-f]+)\"", page.body()));
        int bits = Integer.parseInt(find("data-difficulty=\"(\\d+)\"", page.body()));
        String verify = find("data-verify-url=\"([^\"]+)\"", page.body()).replace("&amp;", "&")
                + "&counter=" + PowSolver.solve(nonce, bits);
        String setCookie = get(edge, "app.test", verify, UA, NAVIGATE).header("set-cookie");
        assertThat(setCookie).isNotNull();
        return "Cookie: " + setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String find(String regex, String body) {
        Matcher m = Pattern.compile(regex).matcher(body);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
