package dev.bulwark.edge.policy;

import dev.bulwark.core.challenge.PowSolver;
import dev.bulwark.core.config.FirewallRuleConfig.Action;
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
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bulwark.edge.policy.Zones.exchange;
import static dev.bulwark.edge.policy.Zones.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The challenge in the request path, over real sockets: a zone under attack challenges every
 * visitor without clearance; solving the proof of work (with the Java solver, as a bot or the
 * page's worker would) through the verify endpoint sets a cookie that lets the visitor reach
 * the origin.
 */
class ChallengePolicyTest {
    private static final String UA = "User-Agent: Mozilla/5.0 (test)";
    private static final String NAVIGATE = "Accept: text/html,application/xhtml+xml";
    private static final Pattern NONCE = Pattern.compile("data-nonce=\"([0-9a-f]+)\"");
    private static final Pattern DIFFICULTY = Pattern.compile("data-difficulty=\"(\\d+)\"");
    private static final Pattern VERIFY = Pattern.compile("data-verify-url=\"([^\"]+)\"");
    private static final Pattern WAIT = Pattern.compile("data-wait-url=\"([^\"]+)\"");

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private final List<String> log = new CopyOnWriteArrayList<>();
    private TestOrigin origin;
    private Edge edge;
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        ZoneConfig app = Zones.zone("app", "app.test", origin.url(),
                List.of(Zones.rule("members", "starts_with(http.request.uri.path, \"/members\") and bulwark.clearance.level lt 2",
                        Action.BLOCK)), null, null, Zones.challenge(true));
        edge = Edge.start(Configs.create().http().zone(app).build(), new EdgeServices(new SimpleMeterRegistry(), clock, log::add));
        http = edge.boundAddresses().get("http");
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void aNavigationWithoutClearanceGetsTheInterstitial() throws Exception {
        RawHttp.Response r = get(http, "app.test", "/page?x=1", UA, NAVIGATE);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("bulwark-mitigated")).isEqualTo("challenge");
        assertThat(r.header("content-type")).startsWith("text/html");
        assertThat(r.header("cache-control")).isEqualTo("no-store");
        assertThat(r.header("x-robots-tag")).contains("noindex");
        assertThat(r.header("content-security-policy")).contains("default-src 'none'");
        assertThat(r.body()).contains("data-nonce=").contains(r.header("bulwark-request-id"));
        assertThat(origin.count()).isZero();
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"action\":\"challenged\"")));
        assertThat(log.get(0)).contains("\"rule\":\"challenge:under_attack\"");
    }

    @Test
    void fetchesAndPostsGet403Json() throws Exception {
        RawHttp.Response fetch = get(http, "app.test", "/api/items", UA, "Accept: */*", "Sec-Fetch-Mode: cors");
        assertThat(fetch.status()).isEqualTo(403);
        assertThat(fetch.header("bulwark-mitigated")).isEqualTo("challenge");
        assertThat(fetch.header("content-type")).startsWith("application/json");
        assertThat(fetch.body()).contains("\"challenge_required\"");
        RawHttp.Response post = exchange(http, "127.0.0.1", "POST", "app.test", "/form", UA, NAVIGATE);
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.header("bulwark-mitigated")).isEqualTo("challenge");
        assertThat(post.header("content-type")).startsWith("application/json");
        assertThat(origin.count()).isZero();
    }

    @Test
    void exemptPathsPass() throws Exception {
        RawHttp.Response robots = get(http, "app.test", "/robots.txt", UA);
        assertThat(robots.status()).isEqualTo(200);
        assertThat(robots.body()).isEqualTo("path /robots.txt");
    }

    @Test
    void theWorkerScriptIsServedByTheEdge() throws Exception {
        RawHttp.Response js = get(http, "app.test", "/.well-known/bulwark/challenge.js", UA);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("content-type")).startsWith("text/javascript");
        assertThat(origin.count()).isZero();
    }

    @Test
    void solvingTheProofOfWorkLetsTheVisitorThroughUntilTheCookieIsTampered() throws Exception {
        RawHttp.Response page = get(http, "app.test", "/page?x=1", UA, NAVIGATE);
        byte[] nonce = HexFormat.of().parseHex(find(NONCE, page.body()));
        int difficulty = Integer.parseInt(find(DIFFICULTY, page.body()));
        long counter = PowSolver.solve(nonce, difficulty);
        String verify = find(VERIFY, page.body()).replace("&amp;", "&") + "&counter=" + counter;

        RawHttp.Response verified = get(http, "app.test", verify, UA, NAVIGATE);
        assertThat(verified.status()).isEqualTo(303);
        String setCookie = verified.header("set-cookie");
        assertThat(setCookie).startsWith("__bulwark_clearance=").contains("HttpOnly");
        String cookie = "Cookie: " + setCookie.substring(0, setCookie.indexOf(';'));

        RawHttp.Response check = get(http, "app.test", verified.header("location"), UA, NAVIGATE, cookie);
        assertThat(check.status()).isEqualTo(303);
        assertThat(check.header("location")).isEqualTo("/page?x=1");

        RawHttp.Response through = get(http, "app.test", "/page?x=1", UA, NAVIGATE, cookie);
        assertThat(through.status()).isEqualTo(200);
        assertThat(through.body()).isEqualTo("path /page");
        assertThat(get(http, "app.test", "/api/items", UA, "Accept: application/json", cookie).status())
                .as("the clearance covers fetches too").isEqualTo(200);
        assertThat(get(http, "app.test", "/members/area", UA, NAVIGATE, cookie).status())
                .as("rules see the clearance level (2 for proof of work)").isEqualTo(200);
        assertThat(get(http, "app.test", "/page", "User-Agent: another browser", NAVIGATE, cookie).status())
                .as("the cookie is bound to its user agent").isEqualTo(403);

        String tampered = cookie.substring(0, cookie.length() - 3) + (cookie.endsWith("A") ? "BBB" : "AAA");
        RawHttp.Response again = get(http, "app.test", "/page?x=1", UA, NAVIGATE, "Cookie: " + tampered.substring(8));
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.header("bulwark-mitigated")).isEqualTo("challenge");
        assertThat(again.body()).contains("data-nonce=");
        assertThat(origin.count()).isEqualTo(3);
    }

    @Test
    void aWrongAnswerDoesNotGrantClearance() throws Exception {
        RawHttp.Response page = get(http, "app.test", "/page", UA, NAVIGATE);
        String verify = find(VERIFY, page.body()).replace("&amp;", "&") + "&counter=0";
        byte[] nonce = HexFormat.of().parseHex(find(NONCE, page.body()));
        org.junit.jupiter.api.Assumptions.assumeTrue(PowSolver.solve(nonce, 8, 0, 1, 1) < 0, "0 happens to solve it");
        RawHttp.Response r = get(http, "app.test", verify, UA, NAVIGATE);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("set-cookie")).isNull();
    }

    @Test
    void withoutJavaScriptTheServerEnforcedWaitGrantsALowerClearance() throws Exception {
        RawHttp.Response page = get(http, "app.test", "/page", UA, NAVIGATE);
        String wait = find(WAIT, page.body()).replace("&amp;", "&");
        RawHttp.Response early = get(http, "app.test", wait, UA, NAVIGATE);
        assertThat(early.status()).as("too early: keep waiting").isEqualTo(200);
        assertThat(early.header("set-cookie")).isNull();

        clock.advance(Duration.ofSeconds(6));
        RawHttp.Response waited = get(http, "app.test", wait, UA, NAVIGATE);
        assertThat(waited.status()).isEqualTo(303);
        String setCookie = waited.header("set-cookie");
        String cookie = "Cookie: " + setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(get(http, "app.test", "/page", UA, NAVIGATE, cookie).status()).isEqualTo(200);
        assertThat(get(http, "app.test", "/members", UA, NAVIGATE, cookie).status())
                .as("level 1 is below what the members rule asks").isEqualTo(403);

        clock.advance(Duration.ofMinutes(31));
        assertThat(get(http, "app.test", "/page", UA, NAVIGATE, cookie).header("bulwark-mitigated"))
                .as("an expired clearance brings the challenge back").isEqualTo("challenge");
    }

    @Test
    void overHttp2TheChallengeKeepsItsHeaders() throws Exception {
        try (dev.bulwark.edge.support.RawH2 c = new dev.bulwark.edge.support.RawH2(http)) {
            var r = c.request(new io.netty.handler.codec.http2.DefaultHttp2Headers(false).method("GET").scheme("http")
                    .authority("app.test").path("/page").add("accept", "text/html").add("user-agent", "h2-browser"), null);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.headers().get("bulwark-mitigated").toString()).isEqualTo("challenge");
            assertThat(r.headers().get("x-robots-tag").toString()).contains("noindex");
            assertThat(r.body()).contains("data-nonce=");
        }
        assertThat(origin.count()).isZero();
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as(p + " in the page").isTrue();
        return m.group(1);
    }
}
