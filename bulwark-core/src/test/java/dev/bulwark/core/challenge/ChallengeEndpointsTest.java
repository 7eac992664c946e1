package dev.bulwark.core.challenge;

import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.request.SimpleRequestFacts;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bulwark.core.challenge.Fixtures.UA;
import static dev.bulwark.core.challenge.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole visitor round trip through the pure endpoint logic, as the edge will drive it. */
class ChallengeEndpointsTest {
    final ManualClock clock = new ManualClock();
    final InMemoryKeyRing ring = new InMemoryKeyRing(clock);
    final ChallengeEndpoints endpoints = new ChallengeEndpoints(ring, clock);
    final ChallengeRules rules = ChallengeRules.compile(new ChallengeConfig(10, null, null, null, null, null, null));
    final InetAddress client = ip("203.0.113.44");

    SimpleRequestFacts request(String uri) {
        return new SimpleRequestFacts().client(client).host("shop.example").zone("shop", false).uri(uri)
                .header("User-Agent", UA).header("Accept", "text/html").header("Sec-Fetch-Mode", "navigate");
    }

    record Puzzle(String verifyUrl, String waitUrl, byte[] nonce, int difficulty) {}

    static Puzzle puzzle(ChallengeResponse page) {
        String html = page.bodyText();
        return new Puzzle(attr(html, "data-verify-url"), html.contains("data-wait-url") ? attr(html, "data-wait-url") : null,
                HexFormat.of().parseHex(attr(html, "data-nonce")), Integer.parseInt(attr(html, "data-difficulty")));
    }

    static String attr(String html, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    static String cookieValue(ChallengeResponse r) {
        String set = r.header("Set-Cookie");
        assertThat(set).startsWith(Clearances.COOKIE_NAME + "=");
        return set.substring(Clearances.COOKIE_NAME.length() + 1, set.indexOf(';'));
    }

    ChallengeResponse solveAndVerify(SimpleRequestFacts visitor, ChallengeResponse page) {
        Puzzle p = puzzle(page);
        long counter = PowSolver.solve(p.nonce(), p.difficulty());
        return endpoints.handle(visitor.uri(p.verifyUrl() + "&counter=" + counter), rules, "r-verify");
    }

    @Test
    void navigationIsChallengedSolvedAndSentBackWithClearance() {
        ChallengeResponse page = endpoints.interstitial(request("/products?page=2&sort=new"), rules, 0, "r-1");
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.header("Bulwark-Mitigated")).isEqualTo("challenge");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.header("X-Robots-Tag")).contains("noindex");
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'; script-src 'self'");
        assertThat(page.header("Content-Length")).isEqualTo(Integer.toString(page.body().length));
        assertThat(page.bodyText()).contains("r-1");

        ChallengeResponse verified = solveAndVerify(request("/"), page);
        assertThat(verified.status()).isEqualTo(303);
        assertThat(verified.header("Location")).startsWith(ChallengeEndpoints.CHECK_PATH + "?token=");
        assertThat(verified.header("Set-Cookie")).contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=1800").doesNotContain("Secure");
        String cookie = cookieValue(verified);
        assertThat(new ClearanceVerifier(ring).verify(cookie, "shop", client, UA, clock.currentTimeMillis())).isEqualTo(Clearances.LEVEL_PROOF_OF_WORK);

        // The browser follows the redirect carrying the cookie: back to the original URL, query intact.
        String checkUri = verified.header("Location");
        ChallengeResponse back = endpoints.handle(request(checkUri).header("Cookie", Clearances.COOKIE_NAME + "=" + cookie), rules, "r-2");
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.header("Location")).isEqualTo("/products?page=2&sort=new");

        // The next request carries the cookie: the decision passes it.
        SimpleRequestFacts next = request("/products?page=3").header("Cookie", "a=b; " + Clearances.COOKIE_NAME + "=" + cookie);
        ClearanceClaims claims = new ClearanceClaims();
        int level = endpoints.clearance(next, claims);
        assertThat(ChallengeDecision.decide(rules, next, true, level)).isEqualTo(ChallengeDecision.PASS);
        assertThat(claims.id()).isNotNull();

        // HTTP/2 may split cookies into several header fields.
        SimpleRequestFacts split = request("/").header("Cookie", "a=b").header("Cookie", Clearances.COOKIE_NAME + "=" + cookie);
        assertThat(endpoints.clearance(split, null)).isEqualTo(2);
    }

    @Test
    void tlsVisitorsGetASecureCookie() {
        ChallengeResponse page = endpoints.interstitial(request("/"), rules, 0, "r");
        ChallengeResponse verified = solveAndVerify(request("/").tls(true), page);
        assertThat(verified.header("Set-Cookie")).endsWith("; Secure");
    }

    @Test
    void browserRefusingCookiesGetsAnExplanationNotALoop() {
        ChallengeResponse verified = solveAndVerify(request("/"), endpoints.interstitial(request("/docs"), rules, 0, "r"));
        ChallengeResponse landing = endpoints.handle(request(verified.header("Location")), rules, "r-9");
        assertThat(landing.status()).isEqualTo(403);
        assertThat(landing.bodyText()).contains("Cookies are needed", "href=\"/docs\"", "r-9");
        assertThat(landing.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void replayingASolutionMintsNoNewClearanceAndFailsElsewhere() {
        ChallengeResponse page = endpoints.interstitial(request("/"), rules, 0, "r");
        ChallengeResponse first = solveAndVerify(request("/"), page);
        ChallengeResponse again = solveAndVerify(request("/"), page);
        ClearanceClaims a = new ClearanceClaims();
        ClearanceClaims b = new ClearanceClaims();
        ClearanceVerifier v = new ClearanceVerifier(ring);
        v.verify(cookieValue(first), "shop", client, UA, clock.currentTimeMillis(), a);
        v.verify(cookieValue(again), "shop", client, UA, clock.currentTimeMillis(), b);
        assertThat(b.id()).isEqualTo(a.id());

        // From another network: no cookie, and a page saying why instead of a challenge loop.
        SimpleRequestFacts elsewhere = request("/").client(ip("198.51.100.1"));
        ChallengeResponse stolen = solveAndVerify(elsewhere, page);
        assertThat(stolen.status()).isEqualTo(403);
        assertThat(stolen.header("Set-Cookie")).isNull();
        assertThat(stolen.bodyText()).contains("network changed", "href=\"/\"");
        // From another browser or another zone: no cookie, back to a fresh challenge.
        SimpleRequestFacts otherAgent = new SimpleRequestFacts().client(client).zone("shop", false).uri("/").header("User-Agent", "curl/8");
        assertThat(solveAndVerify(otherAgent, page).header("Set-Cookie")).isNull();
        assertThat(solveAndVerify(request("/").zone("blog", false), page).header("Set-Cookie")).isNull();

        // After the token expires the same solution is worthless.
        clock.advance(Duration.ofMinutes(11));
        ChallengeResponse late = solveAndVerify(request("/"), page);
        assertThat(late.header("Set-Cookie")).isNull();
        assertThat(late.status()).isEqualTo(303);
    }

    @Test
    void wrongOrForgedAnswersGetAPageNotACookie() {
        ChallengeResponse page = endpoints.interstitial(request("/x"), rules, 0, "r");
        Puzzle p = puzzle(page);
        long good = PowSolver.solve(p.nonce(), p.difficulty());
        long bad = good == 0 ? 1 : 0; // counters are tried from 0: anything below the first solution is wrong
        ChallengeResponse wrong = endpoints.handle(request(p.verifyUrl() + "&counter=" + bad), rules, "r");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.header("Set-Cookie")).isNull();
        assertThat(wrong.bodyText()).contains("not correct", "href=\"/x\"");
        assertThat(endpoints.handle(request(p.verifyUrl() + "&counter=-5"), rules, "r").status()).isEqualTo(403);
        assertThat(endpoints.handle(request(p.verifyUrl() + "&counter=99999999999999999999"), rules, "r").status()).isEqualTo(403);
        ChallengeResponse forged = endpoints.handle(request(ChallengeEndpoints.VERIFY_PATH + "?token=AAAA&counter=1"), rules, "r");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.bodyText()).contains("not valid");
        assertThat(endpoints.handle(request(ChallengeEndpoints.VERIFY_PATH), rules, "r").status()).isEqualTo(400);
        assertThat(endpoints.handle(request(ChallengeEndpoints.CHECK_PATH + "?token=zzz"), rules, "r").status()).isEqualTo(400);
    }

    @Test
    void severalTabsSolvingAtOnceAllGetThrough() throws Exception {
        int tabs = 6;
        List<ChallengeResponse> pages = new ArrayList<>();
        for (int i = 0; i < tabs; i++) pages.add(endpoints.interstitial(request("/tab/" + i), rules, 0, "r" + i));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<ChallengeResponse>> work = new ArrayList<>();
            for (ChallengeResponse page : pages) work.add(() -> solveAndVerify(request("/"), page));
            List<String> cookies = new ArrayList<>();
            for (Future<ChallengeResponse> f : pool.invokeAll(work, 30, TimeUnit.SECONDS)) {
                ChallengeResponse r = f.get();
                assertThat(r.status()).isEqualTo(303);
                cookies.add(cookieValue(r));
            }
            // Every tab's cookie is valid, whichever one the browser keeps last, and each is its own clearance.
            Set<String> ids = new HashSet<>();
            ClearanceVerifier v = new ClearanceVerifier(ring);
            for (String c : cookies) {
                ClearanceClaims claims = new ClearanceClaims();
                assertThat(v.verify(c, "shop", client, UA, clock.currentTimeMillis(), claims)).isEqualTo(2);
                ids.add(claims.id());
            }
            assertThat(ids).hasSize(tabs);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reChallengedVisitorKeepsTheirClearanceId() {
        ChallengeResponse first = solveAndVerify(request("/"), endpoints.interstitial(request("/"), rules, 0, "r"));
        String old = cookieValue(first);
        clock.advance(Duration.ofMinutes(31)); // the clearance expired
        SimpleRequestFacts withOld = request("/").header("Cookie", Clearances.COOKIE_NAME + "=" + old);
        assertThat(endpoints.clearance(withOld, null)).isZero();
        ChallengeResponse renewed = solveAndVerify(withOld, endpoints.interstitial(withOld, rules, 0, "r"));
        ClearanceClaims a = new ClearanceClaims();
        ClearanceClaims b = new ClearanceClaims();
        new ClearanceVerifier(ring).genuineIgnoringExpiry(Clearances.COOKIE_NAME + "=" + old, "shop", client, UA, a);
        new ClearanceVerifier(ring).verify(cookieValue(renewed), "shop", client, UA, clock.currentTimeMillis(), b);
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(b.expiresAt()).isGreaterThan(a.expiresAt());
    }

    @Test
    void visitorWithoutJavaScriptWaitsAndGetsTheLowerLevel() {
        ChallengeResponse page = endpoints.interstitial(request("/article/7"), rules, 0, "r");
        String waitUrl = puzzle(page).waitUrl();
        assertThat(page.bodyText()).contains("content=\"5;url=" + waitUrl.replace("&", "&amp;"));

        ChallengeResponse early = endpoints.handle(request(waitUrl), rules, "r");
        assertThat(early.status()).isEqualTo(200);
        assertThat(early.header("Set-Cookie")).isNull();
        assertThat(early.bodyText()).contains("http-equiv=\"refresh\" content=\"5;url=" + waitUrl);

        clock.advance(Duration.ofSeconds(5));
        ChallengeResponse done = endpoints.handle(request(waitUrl), rules, "r");
        assertThat(done.status()).isEqualTo(303);
        assertThat(new ClearanceVerifier(ring).verify(cookieValue(done), "shop", client, UA, clock.currentTimeMillis()))
                .isEqualTo(Clearances.LEVEL_WAIT);
        ChallengeResponse back = endpoints.handle(request(done.header("Location"))
                .header("Cookie", Clearances.COOKIE_NAME + "=" + cookieValue(done)), rules, "r");
        assertThat(back.header("Location")).isEqualTo("/article/7");
    }

    @Test
    void zoneWithoutTheWaitRouteOffersNone() {
        ChallengeRules strict = ChallengeRules.compile(new ChallengeConfig(10, null, null, null, null, null, null, null, null, null, false));
        ChallengeResponse page = endpoints.interstitial(request("/x"), strict, 0, "r");
        assertThat(page.bodyText()).doesNotContain("data-wait-url", "http-equiv=\"refresh\"");
        // A wait token issued before the zone changed its mind leads back to a fresh page, not to clearance.
        String oldWaitUrl = puzzle(endpoints.interstitial(request("/x"), rules, 0, "r")).waitUrl();
        clock.advance(Duration.ofSeconds(6));
        ChallengeResponse r = endpoints.handle(request(oldWaitUrl), strict, "r");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Set-Cookie")).isNull();
        assertThat(r.header("Location")).isEqualTo("/x");
        // The proof of work still works.
        assertThat(solveAndVerify(request("/"), page).header("Set-Cookie")).isNotNull();
    }

    @Test
    void pressureRaisesDifficultyAndNoScriptWait() {
        ChallengeResponse calm = endpoints.interstitial(request("/"), rules, 0, "r");
        ChallengeResponse severe = endpoints.interstitial(request("/"), rules, 3, "r");
        assertThat(puzzle(calm).difficulty()).isEqualTo(10);
        assertThat(puzzle(severe).difficulty()).isEqualTo(16);
        assertThat(severe.bodyText()).contains("data-wait-seconds=\"40\"");
    }

    @Test
    void headGetsHeadersWithoutBody() {
        ChallengeResponse head = endpoints.interstitial(request("/").method("HEAD"), rules, 0, "r");
        assertThat(head.body()).isEmpty();
        assertThat(Integer.parseInt(head.header("Content-Length"))).isPositive();
        assertThat(head.header("Bulwark-Mitigated")).isEqualTo("challenge");
    }

    @Test
    void nonNavigationsGetMachineReadable403() {
        SimpleRequestFacts api = new SimpleRequestFacts().client(client).zone("shop", false).method("POST").uri("/api/order");
        ChallengeResponse r = endpoints.denied(api, "req-\"7\"");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("Bulwark-Mitigated")).isEqualTo("challenge");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.bodyText()).startsWith("{\"error\":\"challenge_required\"").contains("\"request_id\":\"req-\\\"7\\\"\"");
    }

    @Test
    void scriptAndRouting() {
        ChallengeResponse js = endpoints.handle(request(ChallengeEndpoints.SCRIPT_PATH), rules, "r");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
        assertThat(js.bodyText()).contains("digest24");
        assertThat(endpoints.handle(request("/products"), rules, "r")).isNull();
        assertThat(endpoints.handle(request(ChallengeEndpoints.VERIFY_PATH).method("POST"), rules, "r").status()).isEqualTo(405);
        assertThat(ChallengeEndpoints.isEndpoint("/.well-known/bulwark/challenge/verify")).isTrue();
        assertThat(ChallengeEndpoints.isEndpoint("/.well-known/bulwark/other")).isFalse();
    }

    @Test
    void queryParameterParsing() {
        assertThat(ChallengeEndpoints.param("token=abc&counter=12", "token")).isEqualTo("abc");
        assertThat(ChallengeEndpoints.param("xtoken=1&token=abc", "token")).isEqualTo("abc");
        assertThat(ChallengeEndpoints.param("token=&counter=12", "token")).isEmpty();
        assertThat(ChallengeEndpoints.param("counter=12", "token")).isNull();
        assertThat(ChallengeEndpoints.param("", "token")).isNull();
        assertThat(ChallengeEndpoints.parseCounter("9007199254740991")).isEqualTo(9007199254740991L);
        assertThat(ChallengeEndpoints.parseCounter("9007199254740992")).isEqualTo(-1);
        assertThat(ChallengeEndpoints.parseCounter("12a")).isEqualTo(-1);
    }
}
