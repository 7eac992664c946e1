package dev.bulwark.it;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.bulwark.control.auth.Role;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.runtime.Demo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard as an operator uses it: Debian's Chromium (headless, through Playwright) against
 * {@code bulwark demo}'s node (edge, demo origin, control plane on the admin listener). Signs in
 * with the owner's token, sees the demo zone, watches the live chart draw the traffic sent through
 * the edge, adds a rule and sees the edge apply it, switches under-attack mode on and off, and
 * has a second trust-and-safety operator approve a termination the first one proposed. The zone
 * page's screenshot is written to {@code target/screenshots/dashboard-zone.png}, the trust-and-safety page's next to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {
    private static final Path SCREENSHOT = Path.of("target", "screenshots", "dashboard-zone.png");
    /** Pixels of the 2xx series' stroke (#2f9e44) in the upper part of the status chart: zero while the zone has no traffic. */
    private static final String GREEN_PIXELS_HIGH = """
            () => {
              const c = document.querySelector('#chart-status canvas');
              if (!c) return -1;
              const d = c.getContext('2d').getImageData(0, 0, c.width, Math.floor(c.height * 0.6)).data;
              let n = 0;
              for (let i = 0; i < d.length; i += 4) {
                if (Math.abs(d[i] - 47) < 16 && Math.abs(d[i + 1] - 158) < 16 && Math.abs(d[i + 2] - 68) < 16 && d[i + 3] > 200) n++;
              }
              return n;
            }""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Demo demo;
    private Chromium chromium;
    private String admin;
    private String owner;
    private InetSocketAddress edge;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's Chromium is not at " + Chromium.EXECUTABLE + ": skipping the dashboard browser tests");
        HostPort any = HostPort.parse("127.0.0.1:0");
        demo = Demo.start(any, any, any, any, Files.createTempDirectory("bulwark-dashboard-it-"), "off");
        admin = demo.node().adminUrl();
        owner = demo.control().bootstrapToken().orElseThrow();
        edge = demo.node().listeners().get("http");
        chromium = Chromium.launch(List.of("demo.localhost"));
    }

    @AfterAll
    void stop() {
        if (chromium != null) chromium.close();
        if (demo != null) demo.shutdown(Duration.ofSeconds(1));
    }

    @Test
    void anOperatorWatchesTrafficAddsARuleTogglesUnderAttackAndASecondOperatorApprovesATermination() throws Exception {
        try (BrowserContext ctx = newContext()) {
            Page page = ctx.newPage();
            page.onDialog(d -> d.accept()); // hx-confirm before removing, rolling back, approving
            List<String> consoleErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
            page.onConsoleMessage(m -> { if (m.type().equals("error")) consoleErrors.add(m.text()); });

            // sign in: the token goes once into the form, the browser keeps only an HttpOnly session cookie
            page.navigate(admin + "/dashboard");
            assertThat(page.url()).endsWith("/dashboard/sign-in");
            signIn(page, owner);
            page.waitForSelector("tr[data-zone=demo]");
            assertThat(page.textContent("tr[data-zone=demo]")).contains("demo.localhost").contains("active").contains("off");
            assertThat(ctx.cookies()).singleElement().satisfies(c -> {
                assertThat(c.httpOnly).isTrue();
                assertThat(c.value).doesNotContain(owner.substring(4));
            });
            assertThat((String) page.evaluate("() => document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))
                    .doesNotContain(owner.substring(4));

            // the zone page: nothing drawn high on the chart before traffic, the 2xx line climbs once requests flow
            page.click("a[href='/dashboard/zones/demo']");
            page.waitForSelector("#chart-status canvas");
            page.waitForFunction("() => document.querySelector('#chart-status').hasAttribute('data-points')");
            assertThat(((Number) page.evaluate(GREEN_PIXELS_HIGH)).intValue()).isZero();
            for (int i = 0; i < 40; i++) assertThat(edgeGet("/?dashboard=" + i, "text/html").statusCode()).isEqualTo(200);
            page.waitForFunction("() => Number(document.querySelector('#chart-status').getAttribute('data-points')) > 0",
                    null, new Page.WaitForFunctionOptions().setTimeout(15_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> ((Number) page.evaluate(GREEN_PIXELS_HIGH)).intValue() > 20);
            page.waitForSelector("[data-top=paths] li:has-text('/')", new Page.WaitForSelectorOptions().setTimeout(15_000));
            assertThat(page.textContent("[data-top=clients]")).contains("127.0.0.1");

            // a rule added here is enforced by the edge within a second
            assertThat(edgeGet("/1k", "*/*").statusCode()).isEqualTo(200);
            page.fill("#rule-expression", "http.request.uri.path eq \"/1k\"");
            page.selectOption("#rule-action", "block");
            page.fill("#rule-id", "no-1k");
            page.click("#rules button[type=submit]");
            page.waitForSelector("#rules tr[data-rule=no-1k]");
            assertThat(page.textContent("#rules .alert.ok")).contains("Rule no-1k added");
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> edgeGet("/1k", "*/*").statusCode() == 403);
            // a refused expression shows the API's reason next to the field
            page.fill("#rule-expression", "http.request.uri.path eq");
            page.click("#rules button[type=submit]");
            page.waitForSelector("#rules .field-error[data-field=expression]");

            // under attack: every visitor without clearance is challenged, then served again
            page.click("#under-attack button");
            page.waitForSelector("#under-attack [data-under-attack=true]");
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> edgeGet("/", "text/html").headers().firstValue("Bulwark-Mitigated").orElse("").equals("challenge"));

            // traffic again so the screenshot shows it, then look at the page
            for (int i = 0; i < 30; i++) edgeGet("/echo?shot=" + i, "text/html");
            page.waitForTimeout(2_500);
            Files.createDirectories(SCREENSHOT.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));

            page.click("#under-attack button");
            page.waitForSelector("#under-attack [data-under-attack=false]");
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> edgeGet("/", "text/html").statusCode() == 200);

            // the rule's version can be diffed from the page
            page.click("#versions tr:has-text('add firewall rule no-1k') button:has-text('Diff')");
            page.waitForSelector("#diff pre.diff .add:has-text('no-1k')");
            // nothing the pages do trips the CSP (no inline script or style, no eval); only the refused rule's 422 is logged
            assertThat(consoleErrors).allSatisfy(m -> assertThat(m).doesNotContainIgnoringCase("content security policy")
                    .doesNotContainIgnoringCase("refused to"));
        }

        // two-person rule: alice proposed a termination (through the API); bob approves it on the dashboard
        var tokens = demo.control().controlPlane().tokens();
        for (String name : new String[] {"alice", "bob"}) tokens.createOperator(name, "default", name, Role.TRUST_SAFETY);
        String alice = tokens.create(null, "alice", "alice", Set.of("*"), EnumSet.copyOf(Role.TRUST_SAFETY.permissions()), null).secret();
        String bob = tokens.create(null, "bob", "bob", Set.of("*"), EnumSet.copyOf(Role.TRUST_SAFETY.permissions()), null).secret();
        HttpResponse<String> report = api("POST", "/api/v1/abuse-reports", alice, "{\"category\":\"phishing\",\"urls\":[\"http://demo.localhost/login\"],"
                + "\"description\":\"a bank's login page, copied\",\"forward_to_owner\":false}");
        assertThat(report.statusCode()).as(report.body()).isEqualTo(201);
        String reportId = report.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> proposed = api("POST", "/api/v1/enforcement-actions", alice, "{\"zone\":\"demo\",\"type\":\"terminate\","
                + "\"reason\":\"Phishing for bank credentials.\",\"statement_url\":\"https://bulwark.example/s/demo\",\"report_ids\":[\"" + reportId + "\"]}");
        assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(202);

        try (BrowserContext ctx = newContext()) {
            Page page = ctx.newPage();
            page.onDialog(d -> d.accept());
            page.navigate(admin + "/dashboard/sign-in");
            signIn(page, alice);
            page.navigate(admin + "/dashboard/trust-safety");
            page.waitForSelector("#queue li:has-text('Phishing')");
            page.click("#enforcement .proposal button:has-text('Approve')");
            page.waitForSelector("#enforcement .alert.error:has-text('cannot approve it')");
            assertThat(edgeGet("/", "text/html").statusCode()).isEqualTo(200);
        }
        try (BrowserContext ctx = newContext()) {
            Page page = ctx.newPage();
            page.onDialog(d -> d.accept());
            page.navigate(admin + "/dashboard/sign-in");
            signIn(page, bob);
            page.navigate(admin + "/dashboard/trust-safety");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT.resolveSibling("dashboard-trust-safety.png")).setFullPage(true));
            page.click("#enforcement .proposal button:has-text('Approve')");
            page.waitForSelector("#enforcement .alert.ok:has-text('Approved: terminate zone demo')");
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> edgeGet("/", "text/html").statusCode() == 403);
            assertThat(edgeGet("/", "text/html").body()).contains("Phishing for bank credentials.");
            page.navigate(admin + "/dashboard");
            page.waitForSelector("tr[data-zone=demo] [data-status=terminated]");
            page.navigate(admin + "/dashboard/audit");
            page.waitForSelector("#verify [data-intact=true]");
        }
    }

    private BrowserContext newContext() {
        return chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1360, 900));
    }

    private void signIn(Page page, String token) {
        page.fill("#token", token);
        page.click("button[type=submit]");
        page.waitForURL(admin + "/dashboard");
    }

    private HttpResponse<String> edgeGet(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.getPort() + path)).header("Accept", accept)
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
