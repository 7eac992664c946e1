package dev.bulwark.core.challenge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.request.SimpleRequestFacts;
import dev.bulwark.core.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The challenge behind a real HTTP listener (the JDK's server, standing in for the edge's
 * thin adapter) and a real HTTP client with a standard cookie jar, over loopback sockets:
 * checks that the headers we produce work as HTTP, not only as strings.
 */
class ChallengeOverHttpTest {
    HttpServer server;
    URI base;
    final AtomicInteger originHits = new AtomicInteger();
    final ChallengeEndpoints endpoints = new ChallengeEndpoints(new InMemoryKeyRing(Clock.SYSTEM), Clock.SYSTEM);
    final ChallengeRules rules = ChallengeRules.compile(new ChallengeConfig(10, null, true, null, null, null, null));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::edge);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** What the edge's challenge phase does, in a few lines. */
    private void edge(HttpExchange ex) throws IOException {
        SimpleRequestFacts req = new SimpleRequestFacts().client(ex.getRemoteAddress().getAddress()).host("shop.localhost")
                .zone("shop", false).method(ex.getRequestMethod()).uri(ex.getRequestURI().getRawPath()
                        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        ex.getRequestHeaders().forEach((name, values) -> values.forEach(v -> req.header(name, v)));
        ChallengeResponse r = endpoints.handle(req, rules, "rid-1");
        if (r == null) {
            int level = endpoints.clearance(req, null);
            r = switch (ChallengeDecision.decide(rules, req, false, level)) {
                case PASS, EXEMPT -> null;
                case INTERSTITIAL -> endpoints.interstitial(req, rules, 0, "rid-1");
                case DENY -> endpoints.denied(req, "rid-1");
            };
        }
        if (r == null) {
            originHits.incrementAndGet();
            byte[] body = ("origin page " + req.uri()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        } else {
            for (Map.Entry<String, String> h : r.headers()) {
                if (!h.getKey().equals("Content-Length")) ex.getResponseHeaders().add(h.getKey(), h.getValue());
            }
            ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
            ex.getResponseBody().write(r.body());
        }
        ex.close();
    }

    HttpResponse<String> get(HttpClient client, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .header("User-Agent", Fixtures.UA);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String solvedVerifyUrl(String html) {
        Matcher nonce = Pattern.compile("data-nonce=\"([0-9a-f]{32})\"").matcher(html);
        Matcher bits = Pattern.compile("data-difficulty=\"(\\d+)\"").matcher(html);
        Matcher verify = Pattern.compile("data-verify-url=\"([^\"]+)\"").matcher(html);
        assertThat(nonce.find() && bits.find() && verify.find()).isTrue();
        long counter = PowSolver.solve(HexFormat.of().parseHex(nonce.group(1)), Integer.parseInt(bits.group(1)));
        return verify.group(1).replace("&amp;", "&") + "&counter=" + counter;
    }

    @Test
    void browserLikeClientSolvesOnceAndThenBrowses() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = get(browser, "/products?page=2", "Accept", "text/html", "Sec-Fetch-Mode", "navigate");
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.headers().firstValue("Bulwark-Mitigated")).hasValue("challenge");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(originHits).hasValue(0);

        HttpResponse<String> landed = get(browser, solvedVerifyUrl(page.body()), "Accept", "text/html", "Sec-Fetch-Mode", "navigate");
        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.body()).isEqualTo("origin page /products?page=2");
        assertThat(landed.uri().getRawPath() + "?" + landed.uri().getRawQuery()).isEqualTo("/products?page=2");

        // The cookie jar now sends the clearance: further pages and API calls pass straight through.
        assertThat(get(browser, "/about", "Accept", "text/html", "Sec-Fetch-Mode", "navigate").body()).isEqualTo("origin page /about");
        assertThat(get(browser, "/api/cart", "Accept", "application/json", "Sec-Fetch-Mode", "cors").statusCode()).isEqualTo(200);
        assertThat(originHits).hasValue(3);
    }

    @Test
    void apiClientGetsTheMachineReadableStatus() throws Exception {
        HttpClient api = HttpClient.newHttpClient();
        HttpResponse<String> r = get(api, "/api/cart", "Accept", "application/json");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Bulwark-Mitigated")).hasValue("challenge");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).contains("\"error\":\"challenge_required\"", "\"request_id\":\"rid-1\"");
        assertThat(get(api, "/robots.txt").statusCode()).isEqualTo(200); // exempt even under attack
    }

    @Test
    void clientRefusingCookiesEndsOnAnExplanationNotALoop() throws Exception {
        HttpClient noCookies = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = get(noCookies, "/docs", "Accept", "text/html", "Sec-Fetch-Mode", "navigate");
        HttpResponse<String> end = get(noCookies, solvedVerifyUrl(page.body()), "Accept", "text/html", "Sec-Fetch-Mode", "navigate");
        assertThat(end.statusCode()).isEqualTo(403);
        assertThat(end.uri().getPath()).isEqualTo(ChallengeEndpoints.CHECK_PATH);
        assertThat(end.body()).contains("Cookies are needed", "rid-1");
        assertThat(originHits).hasValue(0);
    }

    @Test
    void theScriptIsServedFromTheSite() throws Exception {
        HttpResponse<String> js = get(HttpClient.newHttpClient(), ChallengeEndpoints.SCRIPT_PATH);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().allValues("Content-Type")).isEqualTo(List.of("text/javascript; charset=utf-8"));
        assertThat(js.body()).contains("digest24");
    }
}
