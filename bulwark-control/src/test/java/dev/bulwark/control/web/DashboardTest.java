package dev.bulwark.control.web;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.api.ControlServer;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Role;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.observe.AttackRecord;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's routes over real HTTP, on a manual clock, against a real SQLite store. */
class DashboardTest {
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    private final ManualClock clock = new ManualClock(1_780_000_000_000L);
    private final InMemorySnapshotBus bus = new InMemorySnapshotBus();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final java.nio.file.Path dataDir = TestDatabases.tempDir();
    private ControlPlane cp;
    private ControlServer server;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        open();
        admin = cp.bootstrapToken().orElseThrow();
        HttpResponse<String> z = send(HttpRequest.newBuilder(uri("/api/v1/zones")).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"shop\",\"hostnames\":[\"shop.example\"],\"origins\":{\"servers\":[{\"url\":\"http://127.0.0.1:9000\"}]}}")));
        assertThat(z.statusCode()).as(z.body()).isEqualTo(201);
    }

    private void open() {
        cp = ControlPlane.open(new ControlPlane.Settings(dataDir, null, null, null, null, bus, clock, Duration.ZERO));
        server = ControlServer.start(cp, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        cp.close();
    }

    /** A signed-in browser: its session cookie and the CSRF token of its pages. */
    record Browser(String cookie, String csrf) {}

    @Test
    void aGoodTokenOpensASessionWhoseCookieTheScriptCannotRead() throws Exception {
        HttpResponse<String> r = signIn(admin);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/dashboard");
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(Dashboard.COOKIE + "=").contains("HttpOnly", "SameSite=Strict", "Path=/dashboard", "Max-Age=")
                .doesNotContain("Secure"); // plain HTTP on loopback; Secure is added over TLS
        assertThat(setCookie).doesNotContain(admin);

        Browser b = browser(r);
        HttpResponse<String> page = get("/dashboard", b);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-zone=\"shop\"", "shop.example", "owner").doesNotContain(admin).doesNotContain(admin.substring(4, 16) + "_");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).doesNotContainPattern("<script>|<script [^>]*>[^<]+</script>|\\son[a-z]+=|style=\"");

        // the static files the pages load are served from this origin, htmx and uPlot from their WebJars
        for (String asset : new String[] {"htmx.min.js", "uPlot.min.js", "uPlot.min.css", "app.js", "app.css"}) {
            HttpResponse<String> a = get("/dashboard/static/" + asset, null);
            assertThat(a.statusCode()).as(asset).isEqualTo(200);
            assertThat(page.body()).contains("/dashboard/static/" + asset);
        }
        assertThat(get("/dashboard/static/../../openapi.json", null).statusCode()).isEqualTo(404);

        // sign-out ends the session on the server, not only in the browser
        HttpResponse<String> out = post("/dashboard/sign-out", b, "_csrf=" + b.csrf(), false);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(get("/dashboard", b).statusCode()).isEqualTo(303);
    }

    @Test
    void aSessionSurvivesARestartOfTheControlPlaneAndOnlyItsHashIsStored() throws Exception {
        Browser b = browser(signIn(admin));
        List<java.util.Map<String, Object>> rows = cp.database().jdbi().withHandle(h ->
                h.createQuery("SELECT * FROM dashboard_session").mapToMap().list());
        assertThat(rows).hasSize(1);
        for (Object value : rows.get(0).values()) assertThat(String.valueOf(value)).doesNotContain(b.cookie());

        server.close();
        cp.close();
        open(); // a new control plane on the same database file
        HttpResponse<String> page = get("/dashboard", b);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-zone=\"shop\"", b.csrf());
        HttpResponse<String> change = post("/dashboard/zones/shop/under-attack", b, "enabled=true", true);
        assertThat(change.statusCode()).as("the CSRF token survives too: " + change.body()).isEqualTo(200);

        assertThat(post("/dashboard/sign-out", b, "_csrf=" + b.csrf(), false).statusCode()).isEqualTo(303);
        assertThat(get("/dashboard", b).statusCode()).isEqualTo(303);
        long left = cp.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM dashboard_session").mapTo(Long.class).one());
        assertThat(left).as("sign-out deletes the row").isZero();
    }

    @Test
    void aSessionEndsTwelveHoursAfterSignInHoweverBusy() throws Exception {
        Browser b = browser(signIn(admin));
        for (int i = 0; i < 35; i++) {
            clock.advanceMillis(Duration.ofMinutes(20).toMillis());
            assertThat(get("/dashboard", b).statusCode()).as("after %d minutes", (i + 1) * 20).isEqualTo(200);
        }
        clock.advanceMillis(Duration.ofMinutes(20).toMillis()); // 12 hours
        assertThat(get("/dashboard", b).headers().firstValue("Location")).hasValue("/dashboard/sign-in?expired=1");
    }

    @Test
    void signInAttemptsFromOneAddressAreLimited() throws Exception {
        for (int i = 0; i < Dashboard.SIGN_IN.limit(); i++) assertThat(signIn("bwk_guess" + i).statusCode()).as("attempt %d", i + 1).isEqualTo(401);
        HttpResponse<String> limited = signIn(admin); // even the right token: the address is over its limit
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("6");
        assertThat(limited.headers().firstValue("Set-Cookie")).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(signIn(admin).statusCode()).isEqualTo(303);
    }

    @Test
    void aBadTokenIsRefusedAndNothingIsServedWithoutASession() throws Exception {
        HttpResponse<String> bad = signIn(admin.substring(0, admin.length() - 2) + "xx");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(bad.body()).contains("unknown, expired or revoked");
        assertThat(signIn("not-a-token").statusCode()).isEqualTo(401);

        HttpResponse<String> anonymous = get("/dashboard", null);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/dashboard/sign-in");
        assertThat(get("/dashboard/zones/shop/traffic", new Browser("forged", "x")).statusCode()).isEqualTo(303);
        HttpResponse<String> htmx = send(HttpRequest.newBuilder(uri("/dashboard/zones")).header("HX-Request", "true").GET());
        assertThat(htmx.statusCode()).isEqualTo(401);
        assertThat(htmx.headers().firstValue("HX-Redirect")).hasValue("/dashboard/sign-in");
    }

    @Test
    void aSessionEndsWhenIdleTooLongAndWhenItsTokenIsRevoked() throws Exception {
        Browser b = browser(signIn(admin));
        clock.advanceMillis(Duration.ofMinutes(29).toMillis());
        assertThat(get("/dashboard", b).statusCode()).isEqualTo(200); // each request restarts the idle timer
        clock.advanceMillis(Duration.ofMinutes(29).toMillis());
        assertThat(get("/dashboard", b).statusCode()).isEqualTo(200);
        clock.advanceMillis(Duration.ofMinutes(31).toMillis());
        HttpResponse<String> expired = get("/dashboard", b);
        assertThat(expired.statusCode()).isEqualTo(303);
        assertThat(expired.headers().firstValue("Location")).hasValue("/dashboard/sign-in?expired=1");

        cp.tokens().createOperator("vera", "default", "vera", Role.ADMIN);
        String vera = cp.tokens().create(null, "vera", "vera", Set.of("*"), EnumSet.copyOf(Role.ADMIN.permissions()), null).secret();
        Browser v = browser(signIn(vera));
        assertThat(get("/dashboard", v).statusCode()).isEqualTo(200);
        cp.tokens().revoke(cp.tokens().principalOf(vera.substring(4, 16)).orElseThrow(), vera.substring(4, 16));
        assertThat(get("/dashboard", v).statusCode()).isEqualTo(303);
    }

    @Test
    void changesWithoutTheSessionsCsrfTokenAreRefused() throws Exception {
        Browser b = browser(signIn(admin));
        assertThat(post("/dashboard/zones/shop/under-attack", new Browser(b.cookie(), null), "enabled=true", true).statusCode()).isEqualTo(403);
        assertThat(post("/dashboard/zones/shop/under-attack", new Browser(b.cookie(), "wrong"), "enabled=true", true).statusCode()).isEqualTo(403);
        assertThat(cp.store().zone("shop").orElseThrow().challenge().underAttack()).isFalse();
        // the right token from another site's page is refused too
        HttpResponse<String> crossSite = send(form("/dashboard/zones/shop/under-attack", b, "enabled=true").header("X-CSRF-Token", b.csrf())
                .header("Origin", "http://evil.example"));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(cp.store().zone("shop").orElseThrow().challenge().underAttack()).isFalse();

        HttpResponse<String> ok = post("/dashboard/zones/shop/under-attack", b, "enabled=true", true);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("data-under-attack=\"true\"");
        assertThat(bus.latest().config().zones().get(0).challenge().underAttack()).isTrue();
        // a session's CSRF token is not another session's
        Browser other = browser(signIn(admin));
        assertThat(post("/dashboard/zones/shop/under-attack", new Browser(other.cookie(), b.csrf()), "enabled=false", true).statusCode()).isEqualTo(403);
    }

    @Test
    void aViewerSeesButCannotChange() throws Exception {
        cp.tokens().createOperator("val", "default", "val", Role.VIEWER);
        String viewer = cp.tokens().create(null, "val", "viewer", Set.of("*"), EnumSet.copyOf(Role.VIEWER.permissions()), null).secret();
        Browser b = browser(signIn(viewer));
        HttpResponse<String> zone = get("/dashboard/zones/shop", b);
        assertThat(zone.statusCode()).isEqualTo(200);
        assertThat(zone.body()).contains("Firewall rules").doesNotContain("Add rule").contains("disabled");

        HttpResponse<String> add = post("/dashboard/zones/shop/rules", b, "expression=" + enc("http.request.uri.path eq \"/x\"") + "&action=block", true);
        assertThat(add.statusCode()).isEqualTo(403);
        assertThat(add.body()).contains("zones:write");
        assertThat(post("/dashboard/zones/shop/under-attack", b, "enabled=true", true).statusCode()).isEqualTo(403);
        assertThat(post("/dashboard/zones/shop/rollback", b, "version=1", true).statusCode()).isEqualTo(403);
        assertThat(cp.store().zone("shop").orElseThrow().firewall()).isEmpty();
        assertThat(cp.store().latestVersion()).isEqualTo(1);
        // and trust-and-safety work is not the viewer's
        assertThat(get("/dashboard/trust-safety", b).body()).contains("needs the trust_safety role");
    }

    @Test
    void aRuleIsAddedAndRemovedAndItsValidationErrorsShowNextToTheField() throws Exception {
        Browser b = browser(signIn(admin));
        HttpResponse<String> bad = post("/dashboard/zones/shop/rules", b, "expression=" + enc("http.request.uri.path eq") + "&action=block", true);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).containsPattern("<p class=\"field-error\" data-field=\"expression\">[^<]+</p>")
                .contains("value=\"http.request.uri.path eq\"");
        HttpResponse<String> ok = post("/dashboard/zones/shop/rules", b, "id=no-admin&expression=" + enc("http.request.uri.path eq \"/admin\"")
                + "&action=block&mode=enforce", true);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(ok.body()).contains("data-rule=\"no-admin\"", "added as config version 2");
        assertThat(ok.headers().firstValue("HX-Trigger")).hasValue("versions-changed"); // the page's version list re-reads
        assertThat(bus.latest().config().zones().get(0).firewall()).extracting(r -> r.id()).containsExactly("no-admin");
        HttpResponse<String> dup = post("/dashboard/zones/shop/rules", b, "id=no-admin&expression=true&action=block", true);
        assertThat(dup.statusCode()).isEqualTo(409);
        assertThat(dup.body()).containsPattern("data-field=\"id\">[^<]*already exists");

        HttpResponse<String> diff = get("/dashboard/zones/shop/diff?to=2", b);
        assertThat(diff.body()).contains("class=\"add\"").contains("no-admin");
        HttpResponse<String> removed = send(HttpRequest.newBuilder(uri("/dashboard/zones/shop/rules/no-admin")).header("Cookie", cookie(b))
                .header("X-CSRF-Token", b.csrf()).header("HX-Request", "true").DELETE());
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(bus.latest().config().zones().get(0).firewall()).isEmpty();
        HttpResponse<String> rollback = post("/dashboard/zones/shop/rollback", b, "version=2", true);
        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
        assertThat(bus.latest().config().zones().get(0).firewall()).extracting(r -> r.id()).containsExactly("no-admin");
    }

    @Test
    void markupFromUsersIsEscapedEverywhereItIsShown() throws Exception {
        Browser b = browser(signIn(admin));
        String markup = "<img src=x onerror=alert(1)>";
        // a zone id with markup never gets into the store, but it does get into a URL: the refusal must not reflect it
        HttpResponse<String> zone = get("/dashboard/zones/" + enc(markup).replace("+", "%20"), b);
        assertThat(zone.statusCode()).isEqualTo(404);
        assertThat(zone.body()).doesNotContain(markup).contains("&lt;img src=x onerror=alert(1)&gt;");
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/v1/zones")).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"<b>x</b>\",\"hostnames\":[\"x.example\"],\"origins\":{\"servers\":[{\"url\":\"http://127.0.0.1:9000\"}]}}")));
        assertThat(created.statusCode()).isEqualTo(422);

        // what users do write: rule expressions and descriptions, operator names, abuse reports
        assertThat(post("/dashboard/zones/shop/rules", b, "id=xss&expression=" + enc("http.request.uri.path eq \"" + markup + "\"")
                + "&action=block&description=" + enc("</code><script>alert(2)</script>"), true).statusCode()).isEqualTo(201);
        cp.tokens().createOperator("mallory", "default", "<script>alert(3)</script>", Role.TRUST_SAFETY);
        String mallory = cp.tokens().create(null, "mallory", "m", Set.of("*"), EnumSet.copyOf(Role.TRUST_SAFETY.permissions()), null).secret();
        HttpResponse<String> report = send(HttpRequest.newBuilder(uri("/api/v1/abuse-reports")).header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"category\":\"harassment\",\"urls\":[\"https://shop.example/forum\"],"
                        + "\"description\":\"<iframe src=//evil.example></iframe>\",\"forward_to_owner\":false}")));
        assertThat(report.statusCode()).as(report.body()).isEqualTo(201);

        String page = get("/dashboard/zones/shop", b).body();
        assertThat(page).doesNotContain(markup).doesNotContain("<script>alert").contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;/code&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
        Browser m = browser(signIn(mallory));
        String ts = get("/dashboard/trust-safety", m).body();
        assertThat(ts).doesNotContain("<iframe").doesNotContain("<script>alert")
                .contains("&lt;iframe src=//evil.example&gt;&lt;/iframe&gt;").contains("&lt;script&gt;alert(3)&lt;/script&gt;");
    }

    @Test
    void theTwoPersonRuleHoldsOnTheDashboard() throws Exception {
        for (String name : new String[] {"alice", "bob"}) cp.tokens().createOperator(name, "default", name, Role.TRUST_SAFETY);
        String alice = cp.tokens().create(null, "alice", "a", Set.of("*"), EnumSet.copyOf(Role.TRUST_SAFETY.permissions()), null).secret();
        String bob = cp.tokens().create(null, "bob", "b", Set.of("*"), EnumSet.copyOf(Role.TRUST_SAFETY.permissions()), null).secret();
        HttpResponse<String> report = send(HttpRequest.newBuilder(uri("/api/v1/abuse-reports")).header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"category\":\"phishing\",\"urls\":[\"https://shop.example/login\"],"
                        + "\"description\":\"credential phishing kit\",\"forward_to_owner\":false}")));
        String reportId = report.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> proposed = send(HttpRequest.newBuilder(uri("/api/v1/enforcement-actions")).header("Authorization", "Bearer " + alice)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"zone\":\"shop\",\"type\":\"terminate\","
                        + "\"reason\":\"phishing\",\"statement_url\":\"https://bulwark.example/s/1\",\"report_ids\":[\"" + reportId + "\"]}")));
        assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(202);
        String actionId = proposed.body().replaceAll(".*\"id\":\"(act[^\"]+)\".*", "$1");

        Browser a = browser(signIn(alice));
        assertThat(get("/dashboard/trust-safety", a).body()).contains("data-action=\"" + actionId + "\"", "You proposed this");
        HttpResponse<String> own = post("/dashboard/enforcement/" + actionId + "/approve", a, "", true);
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("cannot approve it");
        assertThat(cp.store().zone("shop").orElseThrow().enforcement().status().name()).isEqualTo("ACTIVE");

        cp.tokens().createOperator("val", "default", "val", Role.VIEWER);
        String viewer = cp.tokens().create(null, "val", "v", Set.of("*"), EnumSet.copyOf(Role.VIEWER.permissions()), null).secret();
        HttpResponse<String> byViewer = post("/dashboard/enforcement/" + actionId + "/approve", browser(signIn(viewer)), "", true);
        assertThat(byViewer.statusCode()).isEqualTo(403);
        assertThat(byViewer.body()).contains("has role viewer");

        Browser bb = browser(signIn(bob));
        HttpResponse<String> approved = post("/dashboard/enforcement/" + actionId + "/approve", bb, "", true);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(approved.body()).contains("Approved: terminate zone shop");
        assertThat(cp.store().zone("shop").orElseThrow().enforcement().status().name()).isEqualTo("TERMINATED");
        assertThat(get("/dashboard", bb).body()).contains("data-status=\"terminated\"");
    }

    // ---- a small browser

    @Test
    void theZonePageListsTheAttackEventsTheEdgeReported() throws Exception {
        long now = clock.currentTimeMillis();
        cp.attacks().put(new AttackRecord("shop-1", "shop", now - 60_000, 0, 2500, 90, 700, 20, "http.request.uri.path in {\"/login\"}",
                List.of(), List.of("/login"), List.of(), List.of(), "block"));
        HttpResponse<String> page = get("/dashboard/zones/shop", browser(signIn(admin)));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-attacks=\"1\"", "data-attack=\"shop-1\"", "ongoing", "2500", "/login", "act-block")
                .doesNotContain("not recorded");

        // a token that may not read the zone's analytics is told so, and shown no event
        cp.tokens().createOperator("zed", "default", "zed", Role.VIEWER);
        String zonesOnly = cp.tokens().create(null, "zed", "z", Set.of("*"), EnumSet.of(Permission.ZONES_READ), null).secret();
        HttpResponse<String> refused = get("/dashboard/zones/shop", browser(signIn(zonesOnly)));
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.body()).contains("cannot read the zone's attack events").doesNotContain("shop-1");
    }

    private HttpResponse<String> signIn(String token) throws Exception {
        return send(HttpRequest.newBuilder(uri("/dashboard/sign-in")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + enc(token))));
    }

    private Browser browser(HttpResponse<String> signIn) throws Exception {
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(303);
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0].split("=", 2)[1];
        String page = get("/dashboard", new Browser(cookie, null)).body();
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return new Browser(cookie, m.group(1));
    }

    private HttpResponse<String> get(String path, Browser b) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).GET();
        if (b != null) r.header("Cookie", cookie(b));
        return send(r);
    }

    private HttpResponse<String> post(String path, Browser b, String body, boolean htmx) throws Exception {
        HttpRequest.Builder r = form(path, b, body);
        if (htmx) r.header("HX-Request", "true");
        if (htmx && b.csrf() != null) r.header("X-CSRF-Token", b.csrf());
        return send(r);
    }

    private HttpRequest.Builder form(String path, Browser b, String body) {
        return HttpRequest.newBuilder(uri(path)).header("Cookie", cookie(b)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String cookie(Browser b) { return Dashboard.COOKIE + "=" + b.cookie(); }

    private URI uri(String path) { return URI.create(server.baseUrl() + path); }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private HttpResponse<String> send(HttpRequest.Builder r) throws IOException, InterruptedException {
        return http.send(r.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
