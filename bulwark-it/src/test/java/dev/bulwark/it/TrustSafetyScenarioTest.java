package dev.bulwark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.api.ControlServer;
import dev.bulwark.control.auth.Role;
import dev.bulwark.control.cli.ControlCommands;
import dev.bulwark.control.trustsafety.EscalationDetector;
import dev.bulwark.control.trustsafety.TrustSafety;
import dev.bulwark.core.challenge.PowSolver;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.EdgeConfig;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.ManualClock;
import dev.bulwark.edge.Edge;
import dev.bulwark.edge.EdgeServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7's scenario end to end, on a manual clock: a forum behind a real edge draws a slowly
 * rising stream of harassment reports, then over 48 simulated hours escalating threats to life;
 * the escalation alert fires; one trust-and-safety operator proposes termination and another
 * approves it; every request to the forum through the edge gets the notice with the statement
 * link and the origin receives nothing; the transparency report counts the categories and the
 * termination; {@code bulwark audit verify} passes; a restore brings the site back.
 */
class TrustSafetyScenarioTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final String STATEMENT = "https://bulwark.example/statements/2026-09-forum";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-09-01T00:00:00Z").toEpochMilli());
    private final InMemorySnapshotBus bus = new InMemorySnapshotBus();
    private final AtomicInteger originHits = new AtomicInteger();
    private final List<String> accessLog = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer origin;
    private ControlPlane cp;
    private ControlServer api;
    private Edge edge;
    private AutoCloseable subscription;
    private InetSocketAddress edgeHttp;
    private String owner, alice, bob;

    @BeforeEach
    void start() throws Exception {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/", ex -> {
            originHits.incrementAndGet();
            byte[] b = "forum home".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        origin.start();

        BulwarkConfig base = new BulwarkConfig(new EdgeConfig(List.of(ListenerConfig.http("http", "127.0.0.1:0")), null, null, null, null, null),
                null, null, null);
        cp = ControlPlane.open(new ControlPlane.Settings(Files.createTempDirectory("bulwark-ts-it-"), null, null, null, base, bus, clock, Duration.ZERO));
        api = ControlServer.start(cp, "127.0.0.1", 0);
        cp.trustSafety().settings(new TrustSafety.Settings(api.baseUrl(), EscalationDetector.Settings.defaults(), Duration.ZERO));
        owner = cp.bootstrapToken().orElseThrow();
        alice = operator("alice");
        bob = operator("bob");

        edge = Edge.start(base, new EdgeServices(new SimpleMeterRegistry(), clock, accessLog::add));
        edgeHttp = edge.boundAddresses().get("http");
        subscription = bus.subscribe((version, config) -> {
            try {
                edge.apply(config);
            } catch (Exception e) {
                throw new IllegalStateException("edge refused snapshot " + version, e);
            }
        });

        Reply zone = call("POST", "/api/v1/zones", owner, "{\"id\":\"forum\",\"hostnames\":[\"forum.example\"],"
                + "\"origins\":{\"servers\":[{\"url\":\"http://127.0.0.1:" + origin.getAddress().getPort() + "\"}]}}");
        assertThat(zone.status()).as(zone.body()).isEqualTo(201);
    }

    private String operator(String name) {
        cp.tokens().createOperator(name, "default", name, Role.TRUST_SAFETY);
        return cp.tokens().create(null, name, name, Set.of("*"), EnumSet.copyOf(Role.TRUST_SAFETY.permissions()), null).secret();
    }

    @AfterEach
    void stop() throws Exception {
        if (subscription != null) subscription.close();
        if (edge != null) edge.close();
        if (api != null) api.close();
        if (cp != null) cp.close();
        if (origin != null) origin.stop(0);
    }

    record Reply(int status, String body) {
        JsonNode json() throws IOException { return JSON.readTree(body); }
    }

    private Reply call(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    /** A report from the public: fetch a puzzle, solve it (16 bits, as a browser would), send it with the report. */
    private String report(String category, String url, String description) throws Exception {
        JsonNode puzzle = call("GET", "/api/v1/abuse-reports/challenge", null, null).json();
        long counter = PowSolver.solve(java.util.HexFormat.of().parseHex(puzzle.get("nonce").asText()), puzzle.get("difficulty").asInt());
        Reply r = call("POST", "/api/v1/abuse-reports", null, "{\"category\":\"" + category + "\",\"urls\":[\"" + url + "\"],"
                + "\"description\":\"" + description + "\",\"forward_to_owner\":false,"
                + "\"pow\":{\"token\":\"" + puzzle.get("token").asText() + "\",\"counter\":" + counter + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** A request through the edge: status line, headers and body as text. */
    private String viaEdge(String path, String accept) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(edgeHttp, 5_000);
            s.setSoTimeout(10_000);
            String req = "GET " + path + " HTTP/1.1\r\nHost: forum.example\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void harassmentThenEscalatingThreatsLeadToATwoPersonTerminationAndBack() throws Exception {
        assertThat(viaEdge("/", "text/html")).startsWith("HTTP/1.1 200").endsWith("forum home");
        int servedBefore = originHits.get();

        // a week of slowly rising harassment: day d brings d reports, spread over the day
        List<String> harassment = new ArrayList<>();
        long t0 = clock.currentTimeMillis();
        for (int day = 1; day <= 7; day++) {
            for (int i = 0; i < day; i++) {
                long at = t0 + (day - 1) * 24 * HOUR + (i + 1) * (24 * HOUR / (day + 1));
                clock.advanceMillis(at - clock.currentTimeMillis());
                harassment.add(report("harassment", "https://forum.example/t/" + (100 + day), "pile-on against a user, day " + day));
            }
        }
        assertThat(harassment).hasSize(28);
        int alertsBeforeThreats = call("GET", "/api/v1/escalation-alerts?zone=forum", alice, null).json().get("items").size();

        // then 48 hours of escalating threats to life, closer and closer together
        long threatsStart = t0 + 7 * 24 * HOUR;
        List<String> threats = new ArrayList<>();
        for (int h : new int[] {2, 14, 24, 31, 36, 40, 43, 45, 46, 47, 48}) {
            clock.advanceMillis(threatsStart + h * HOUR - clock.currentTimeMillis());
            threats.add(report("threat_to_life", "https://forum.example/t/666", "a named person is threatened with death, hour " + h));
            report("harassment", "https://forum.example/t/666", "harassment in the same thread, hour " + h);
        }
        JsonNode alerts = call("GET", "/api/v1/escalation-alerts?zone=forum", alice, null).json().get("items");
        List<JsonNode> raised = new ArrayList<>();
        alerts.forEach(a -> { if (a.get("raised_at").asLong() >= threatsStart) raised.add(a); });
        assertThat(alerts.size()).isGreaterThan(alertsBeforeThreats);
        assertThat(raised).anySatisfy(a -> {
            assertThat(a.get("zone_id").asText()).isEqualTo("forum");
            assertThat(a.get("window").asText()).isEqualTo("48h");
            assertThat(a.get("trend").asText()).isEqualTo("rising");
        });
        assertThat(raised).anySatisfy(a -> assertThat(a.get("window").asText()).isEqualTo("1h"));

        // the queue puts the threats first
        JsonNode queue = call("GET", "/api/v1/abuse-queue", alice, null).json().get("items");
        assertThat(queue.get(0).get("severest").asText()).isEqualTo("threat_to_life");
        assertThat(queue.get(0).get("url").asText()).isEqualTo("https://forum.example/t/666");

        // alice proposes, alice cannot approve, bob approves
        clock.advance(Duration.ofMinutes(30));
        String ids = String.join("\",\"", threats);
        Reply proposed = call("POST", "/api/v1/enforcement-actions", alice, "{\"zone\":\"forum\",\"type\":\"terminate\","
                + "\"reason\":\"This forum was used to organise threats against the life of named people.\","
                + "\"statement_url\":\"" + STATEMENT + "\",\"report_ids\":[\"" + ids + "\"]}");
        assertThat(proposed.status()).as(proposed.body()).isEqualTo(202);
        String action = proposed.json().get("id").asText();
        assertThat(viaEdge("/", "text/html")).startsWith("HTTP/1.1 200");
        assertThat(call("POST", "/api/v1/enforcement-actions/" + action + "/approve", alice, null).status()).isEqualTo(403);
        clock.advance(Duration.ofMinutes(15));
        Reply approved = call("POST", "/api/v1/enforcement-actions/" + action + "/approve", bob, null);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);

        // every request through the edge now gets the notice; the origin receives nothing
        int servedAtTermination = originHits.get();
        for (String path : List.of("/", "/t/666", "/static/site.css", "/login?next=/")) {
            String page = viaEdge(path, "text/html");
            assertThat(page).startsWith("HTTP/1.1 403").contains("organise threats against the life of named people")
                    .contains("href=\"" + STATEMENT + "\"").contains("Since 10 September 2026")
                    .contains("Site owner? You can appeal this decision: <a href=\"" + api.baseUrl() + "/appeal/" + action + "\">");
        }
        String json = viaEdge("/api/threads", "application/json");
        assertThat(json).startsWith("HTTP/1.1 403").contains("\"statement_url\":\"" + STATEMENT + "\"")
                .contains("\"appeal_url\":\"" + api.baseUrl() + "/appeal/" + action + "\"");
        // the link leads to that decision's appeal form on the control plane
        Reply form = call("GET", "/appeal/" + action, null, null);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("<form method=\"post\" action=\"/appeal/" + action + "\">");
        String abuse = viaEdge("/.well-known/bulwark/abuse", "text/html");
        assertThat(abuse).startsWith("HTTP/1.1 302").contains("Location: " + api.baseUrl() + "/abuse?url=");
        assertThat(originHits.get()).isEqualTo(servedAtTermination);
        assertThat(servedAtTermination).isEqualTo(servedBefore + 1); // the request while the termination was only proposed
        assertThat(accessLog.stream().filter(l -> l.contains("\"action\":\"noticed\"")).count()).isGreaterThanOrEqualTo(5);

        // the transparency report counts what happened, computed from the store
        JsonNode t = call("GET", "/api/v1/transparency?period=2026-H2", null, null).json();
        assertThat(t.at("/reports_by_category/harassment").asInt()).isEqualTo(28 + 11);
        assertThat(t.at("/reports_by_category/threat_to_life").asInt()).isEqualTo(11);
        assertThat(t.at("/actions_by_type/terminate").asInt()).isEqualTo(1);
        assertThat(t.get("zones_affected").asInt()).isEqualTo(1);
        // from the first threat (hour 2) to the approval (hour 48 + 45 min)
        assertThat(t.get("median_minutes_threat_to_action").asDouble()).isEqualTo((46 * 60 + 45) * 1.0);

        // the audit chain covers it all and verifies, through the CLI
        StringWriter out = new StringWriter();
        int exit = ControlCommands.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
                .execute("audit", "verify", "--api", api.baseUrl(), "--token", owner);
        assertThat(exit).as(out.toString()).isZero();
        StringWriter export = new StringWriter();
        assertThat(ControlCommands.commandLine().setOut(new PrintWriter(export)).setErr(new PrintWriter(export))
                .execute("audit", "export", "--api", api.baseUrl(), "--token", owner)).isZero();
        assertThat(export.toString()).contains("abuse_report.create").contains("escalation.raise")
                .contains("enforcement.propose").contains("enforcement.approve").contains("enforcement.terminate");

        // a restore brings the site back
        Reply restored = call("POST", "/api/v1/zones/forum/restore", bob, "{\"reason\":\"court-supervised settlement; forum under new moderation\"}");
        assertThat(restored.status()).as(restored.body()).isEqualTo(201);
        assertThat(viaEdge("/", "text/html")).startsWith("HTTP/1.1 200").endsWith("forum home");
        assertThat(originHits.get()).isEqualTo(servedAtTermination + 1);
        assertThat(call("GET", "/api/v1/audit/verify", owner, null).json().get("intact").asBoolean()).isTrue();
    }
    /**
     * The terminated customer tries to get the site back without an appeal: a new zone with the
     * same hostname, a wildcard covering it, deleting the terminated zone. Each is refused with a
     * 409 naming the hostname and the action, and the edge keeps answering with the notice.
     */
    @Test
    void aTerminatedSiteStaysTerminatedUnderANewZone() throws Exception {
        String threat = report("threat_to_life", "https://forum.example/t/1", "a named person is threatened with death");
        Reply proposed = call("POST", "/api/v1/enforcement-actions", alice, "{\"zone\":\"forum\",\"type\":\"terminate\","
                + "\"reason\":\"Threats against the life of named people.\",\"statement_url\":\"" + STATEMENT + "\","
                + "\"report_ids\":[\"" + threat + "\"]}");
        String action = proposed.json().get("id").asText();
        assertThat(call("POST", "/api/v1/enforcement-actions/" + action + "/approve", bob, null).status()).isEqualTo(200);
        int served = originHits.get();

        String originUrl = "http://127.0.0.1:" + origin.getAddress().getPort();
        for (String hosts : List.of("[\"forum.example\"]", "[\"*.example\"]", "[\"www.example\", \"forum.example\"]")) {
            Reply again = call("POST", "/api/v1/zones", owner, "{\"id\":\"forum-reborn\",\"hostnames\":" + hosts
                    + ",\"origins\":{\"servers\":[{\"url\":\"" + originUrl + "\"}]}}");
            assertThat(again.status()).as(hosts + ": " + again.body()).isEqualTo(409);
            assertThat(again.json().get("detail").asText()).contains("'forum.example'").contains("terminated").contains(action);
        }
        Reply delete = call("DELETE", "/api/v1/zones/forum", owner, null);
        assertThat(delete.status()).as(delete.body()).isEqualTo(409);
        assertThat(delete.json().get("detail").asText()).contains("'forum.example'").contains(action).contains("deleting the zone");

        String page = viaEdge("/", "text/html");
        assertThat(page).startsWith("HTTP/1.1 403").contains("Threats against the life of named people.").contains("href=\"" + STATEMENT + "\"");
        assertThat(originHits.get()).isEqualTo(served);
        assertThat(call("GET", "/api/v1/zones/forum-reborn", owner, null).status()).isEqualTo(404);
    }
}
