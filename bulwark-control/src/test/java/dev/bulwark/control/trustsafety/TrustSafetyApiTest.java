package dev.bulwark.control.trustsafety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.api.ControlServer;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Role;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.challenge.PowSolver;
import dev.bulwark.core.challenge.ProofOfWork;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The trust-and-safety routes over real HTTP on an ephemeral port, against a real SQLite store. */
class TrustSafetyApiTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-09-01T08:00:00Z").toEpochMilli());
    private final InMemorySnapshotBus bus = new InMemorySnapshotBus();
    private ControlPlane cp;
    private ControlServer server;
    private String owner, alice, bob, victor;

    record Reply(int status, String contentType, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    @BeforeEach
    void start() {
        cp = ControlPlane.open(new ControlPlane.Settings(TestDatabases.tempDir(), null, null, null, null, bus, clock, Duration.ZERO));
        // 10-bit puzzles: solved in about a millisecond, so the tests measure behaviour, not hashing
        cp.trustSafety().settings(new TrustSafety.Settings("https://abuse.bulwark.example", EscalationDetector.Settings.defaults(), Duration.ZERO)
                .withFormDifficulty(10));
        server = ControlServer.start(cp, "127.0.0.1", 0);
        owner = cp.bootstrapToken().orElseThrow();
        alice = token("alice", Role.TRUST_SAFETY);
        bob = token("bob", Role.TRUST_SAFETY);
        victor = token("victor", Role.VIEWER);
        Reply z = call("127.0.0.1", "POST", "/api/v1/zones", owner, "application/json",
                "{\"id\":\"forum\",\"hostnames\":[\"forum.example\"],\"origins\":{\"servers\":[{\"url\":\"http://127.0.0.1:9\"}]}}");
        assertThat(z.status()).isEqualTo(201);
    }

    private String token(String name, Role role) {
        cp.tokens().createOperator(name, "default", name, role);
        return cp.tokens().create(null, name, name, Set.of("*"), EnumSet.copyOf(role.permissions()), null).secret();
    }

    @AfterEach
    void stop() {
        server.close();
        cp.close();
    }

    private Reply call(String from, String method, String path, String token, String type, String body) {
        try {
            HttpClient http = HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) b.header("Authorization", "Bearer " + token);
            if (type != null) b.header("Content-Type", type);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    private Reply json(String method, String path, String token, String body) {
        return call("127.0.0.1", method, path, token, body == null ? null : "application/json", body);
    }

    /** A puzzle fetched by {@code from} and solved, as the {@code "pow"} member of a JSON report. */
    private String pow(String from) { return pow(from, "/api/v1/abuse-reports/challenge"); }

    /** A puzzle from {@code path} (the report's or the appeal's), fetched by {@code from} and solved, as a {@code "pow"} member. */
    private String pow(String from, String path) {
        Reply pz = call(from, "GET", path, null, null, null);
        assertThat(pz.status()).as(pz.body()).isEqualTo(200);
        long counter = PowSolver.solve(HexFormat.of().parseHex(pz.json().get("nonce").asText()), pz.json().get("difficulty").asInt());
        return "\"pow\":{\"token\":\"" + pz.json().get("token").asText() + "\",\"counter\":" + counter + "}";
    }

    /** A JSON report body (without its closing brace) plus a freshly solved puzzle from {@code from}. */
    private String withPow(String from, String reportWithoutClosingBrace) {
        return reportWithoutClosingBrace + "," + pow(from) + "}";
    }

    private long count(String table) {
        return cp.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    private static String form(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            b.append(b.isEmpty() ? "" : "&").append(kv[i]).append('=').append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void thePublicReportsWithoutATokenAndBadInputGetsFieldErrorsAndNothingStored() {
        Reply ok = json("POST", "/api/v1/abuse-reports", null, withPow("127.0.0.1",
                "{\"category\":\"doxxing\",\"urls\":[\"https://forum.example/t/5\"],\"description\":\"my address was posted\",\"forward_to_owner\":true"));
        assertThat(ok.status()).isEqualTo(201);
        String id = ok.json().get("id").asText();
        assertThat(id).startsWith("rep_");
        assertThat(ok.json().get("zone").asText()).isEqualTo("forum");
        assertThat(cp.trustSafety().reports().find(id)).isPresent();

        Reply bad = json("POST", "/api/v1/abuse-reports", null, withPow("127.0.0.1",
                "{\"category\":\"copyright\",\"urls\":[\"https://unknown.example/\"],\"description\":\"\""));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("urls[0]", "description", "reporter_name", "reporter_contact");
        assertThat(json("POST", "/api/v1/abuse-reports", null, "[1,2]").status()).isEqualTo(400);
        assertThat(cp.trustSafety().reports().list(null, null, 10)).hasSize(1);

        Reply got = json("GET", "/api/v1/abuse-reports/" + id, alice, null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().at("/report/category").asText()).isEqualTo("doxxing");
        assertThat(json("GET", "/api/v1/abuse-reports/" + id, null, null).status()).isEqualTo(401);
        assertThat(json("GET", "/api/v1/abuse-reports/" + id, victor, null).status()).isEqualTo(403);
        assertThat(json("GET", "/api/v1/abuse-queue", alice, null).json().at("/items/0/severest").asText()).isEqualTo("doxxing");
    }

    /** The puzzle embedded in a form page, solved: the form's pow_token and pow_counter fields. */
    private static String[] solvedFormPuzzle(Reply page) {
        Matcher token = Pattern.compile("name=\"pow_token\" value=\"([A-Za-z0-9_-]+)\"").matcher(page.body());
        Matcher nonce = Pattern.compile("data-nonce=\"([0-9a-f]{32})\" data-difficulty=\"(\\d+)\"").matcher(page.body());
        assertThat(token.find()).as(page.body()).isTrue();
        assertThat(nonce.find()).as(page.body()).isTrue();
        long counter = PowSolver.solve(HexFormat.of().parseHex(nonce.group(1)), Integer.parseInt(nonce.group(2)));
        return new String[] {"pow_token", token.group(1), "pow_counter", Long.toString(counter)};
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theFormCarriesASignedPuzzleAndPostsWithItsAnswer() {
        Reply page = call("127.0.0.2", "GET", "/abuse?url=https://forum.example/t/1", null, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("default-src 'none'").contains("script-src 'self'").contains("worker-src 'self'").contains("form-action 'self'"));
        assertThat(page.body()).contains("<form method=\"post\" action=\"/abuse\">").contains("value=\"threat_to_life\"")
                .contains("https://forum.example/t/1").contains("<script src=\"/abuse/challenge.js\"></script>")
                .contains("data-answer=\"pow_counter\"").contains("id=\"send\" disabled").contains("<noscript>")
                .contains("needs JavaScript").doesNotContain("http://").doesNotContain("https://cdn");
        Reply script = call("127.0.0.2", "GET", "/abuse/challenge.js", null, null, null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).startsWith("text/javascript");
        assertThat(script.body()).contains("function digest24").contains("data-answer");

        String[] answer = solvedFormPuzzle(page);
        String[] report = {"category", "harassment", "urls", "https://forum.example/t/1\r\nhttps://forum.example/t/2", "description", "a pile-on"};
        Reply sent = call("127.0.0.2", "POST", "/abuse", null, "application/x-www-form-urlencoded", form(concat(report, answer)));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        assertThat(sent.body()).contains("Report received").containsPattern("rep_[0-9a-f]{20}");

        // the same answer again: refused at the form with a field error and a fresh puzzle, nothing stored
        Reply again = call("127.0.0.2", "POST", "/abuse", null, "application/x-www-form-urlencoded", form(concat(report, answer)));
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.body()).contains("Anti-spam check: this anti-spam answer was already used").contains("a pile-on");
        assertThat(solvedFormPuzzle(again)[1]).isNotEqualTo(answer[1]);

        // no answer (a browser without JavaScript, or a bot), and bad fields: all errors at once
        Reply refused = call("127.0.0.2", "POST", "/abuse", null, "application/x-www-form-urlencoded",
                form("category", "csam", "urls", "https://forum.example/x", "description", "<b>material</b>", "forward_to_owner", "yes"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("never forwarded").contains("Anti-spam check: the anti-spam check was not solved")
                .contains("&lt;b&gt;material&lt;/b&gt;").doesNotContain("<b>material");
        assertThat(cp.trustSafety().reports().list(null, null, 10)).hasSize(1);
    }

    @Test
    void aPublicJsonReportNeedsASolvedPuzzleOnceAndATokenHolderNone() {
        String report = "{\"category\":\"harassment\",\"urls\":[\"https://forum.example/t/4\"],\"description\":\"a pile-on\"";
        long audit = count("audit_entry");

        Reply none = json("POST", "/api/v1/abuse-reports", null, report + "}");
        assertThat(none.status()).isEqualTo(422);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(none.json().get("errors").findValuesAsText("field")).containsExactly("pow");
        assertThat(none.json().get("errors").get(0).get("reason").asText()).contains("not solved");

        Reply pz = call("127.0.0.1", "GET", "/api/v1/abuse-reports/challenge", null, null, null);
        assertThat(pz.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(pz.json().get("difficulty").asInt()).isEqualTo(10);
        assertThat(pz.json().get("nonce").asText()).matches("[0-9a-f]{32}");
        assertThat(pz.json().get("expires_at").asLong()).isEqualTo(clock.currentTimeMillis() + Duration.ofHours(1).toMillis());
        String token = pz.json().get("token").asText();
        byte[] nonce = HexFormat.of().parseHex(pz.json().get("nonce").asText());
        long good = PowSolver.solve(nonce, 10);
        long wrong = 0;
        while (ProofOfWork.check(nonce, wrong, 10)) wrong++;
        char[] t = token.toCharArray();
        t[t.length / 2] = t[t.length / 2] == 'A' ? 'B' : 'A';
        for (String badPow : List.of("{\"token\":\"" + token + "\",\"counter\":" + wrong + "}",
                "{\"token\":\"" + new String(t) + "\",\"counter\":" + good + "}",
                "{\"token\":\"" + token + "\",\"counter\":-3}", "\"solved\"")) {
            clock.advance(Duration.ofSeconds(12)); // refusals count against the address's budget too
            Reply bad = json("POST", "/api/v1/abuse-reports", null, report + ",\"pow\":" + badPow + "}");
            assertThat(bad.status()).as(badPow).isEqualTo(422);
            assertThat(bad.json().get("errors").findValuesAsText("field")).as(badPow).containsExactly("pow");
        }
        // solved, but sent from another network (another /24) than the one that fetched it
        Reply elsewhere = call("127.0.1.9", "POST", "/api/v1/abuse-reports", null, "application/json",
                report + ",\"pow\":{\"token\":\"" + token + "\",\"counter\":" + good + "}}");
        assertThat(elsewhere.status()).isEqualTo(422);
        assertThat(elsewhere.body()).contains("another network");
        assertThat(count("abuse_report")).isZero();
        assertThat(count("pow_redemption")).isZero();
        assertThat(count("audit_entry")).isEqualTo(audit);

        String solved = report + ",\"pow\":{\"token\":\"" + token + "\",\"counter\":\"" + good + "\"}}";
        clock.advance(Duration.ofSeconds(12));
        Reply ok = json("POST", "/api/v1/abuse-reports", null, solved);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(12));
        Reply reused = json("POST", "/api/v1/abuse-reports", null, solved);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body()).contains("already used");
        assertThat(count("abuse_report")).isEqualTo(1);

        // a partner's token needs no puzzle; a bad token is refused rather than treated as public
        Reply partner = json("POST", "/api/v1/abuse-reports", victor, report + "}");
        assertThat(partner.status()).as(partner.body()).isEqualTo(201);
        assertThat(json("POST", "/api/v1/abuse-reports", "bwk_not_a_real_token_at_all", report + "}").status()).isEqualTo(401);
        assertThat(count("abuse_report")).isEqualTo(2);
        String id = partner.json().get("id").asText();
        assertThat(json("GET", "/api/v1/audit?target=abuse-report:" + id, owner, null).json().at("/items/0/actor").asText()).contains("victor");
    }

    @Test
    void anExpiredProposalShowsAsExpiredAndCannotBeApproved() {
        String rep = json("POST", "/api/v1/abuse-reports", alice,
                "{\"category\":\"threat_to_life\",\"urls\":[\"https://forum.example/t/9\"],\"description\":\"threats\"}").json().get("id").asText();
        Reply proposed = json("POST", "/api/v1/enforcement-actions", alice, "{\"zone\":\"forum\",\"type\":\"terminate\",\"reason\":\"Threats.\","
                + "\"statement_url\":\"https://bulwark.example/statements/forum\",\"report_ids\":[\"" + rep + "\"]}");
        assertThat(proposed.status()).isEqualTo(202);
        String id = proposed.json().get("id").asText();
        assertThat(proposed.json().get("expires_at").asLong()).isEqualTo(clock.currentTimeMillis() + Duration.ofHours(72).toMillis());
        clock.advance(Duration.ofHours(72));
        Reply shown = json("GET", "/api/v1/enforcement-actions/" + id, bob, null);
        assertThat(shown.json().at("/action/status").asText()).isEqualTo("expired");
        assertThat(json("GET", "/api/v1/enforcement-actions?zone=forum", bob, null).json().at("/items/0/status").asText()).isEqualTo("expired");
        Reply approve = json("POST", "/api/v1/enforcement-actions/" + id + "/approve", bob, null);
        assertThat(approve.status()).isEqualTo(409);
        assertThat(approve.body()).contains("expired").contains("propose it again");
        assertThat(json("GET", "/api/v1/audit?target=enforcement:" + id, owner, null).json().findValuesAsText("action")).contains("enforcement.expire");
        assertThat(json("GET", "/api/v1/audit/verify", owner, null).json().get("intact").asBoolean()).isTrue();
    }

    @Test
    void submissionsAreLimitedPerAddress() {
        String body = "{\"category\":\"other\",\"urls\":[\"https://forum.example/\"],\"description\":\"spam\"";
        for (int i = 0; i < 5; i++) {
            assertThat(call("127.0.0.3", "POST", "/api/v1/abuse-reports", null, "application/json", withPow("127.0.0.3", body)).status()).isEqualTo(201);
        }
        Reply limited = call("127.0.0.3", "POST", "/api/v1/abuse-reports", null, "application/json", withPow("127.0.0.3", body));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(call("127.0.0.4", "POST", "/api/v1/abuse-reports", null, "application/json", withPow("127.0.0.4", body)).status()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(13));
        assertThat(call("127.0.0.3", "POST", "/api/v1/abuse-reports", null, "application/json", withPow("127.0.0.3", body)).status()).isEqualTo(201);
    }

    @Test
    void terminationThroughTheApiNeedsTwoOperatorsAndShowsInTheTransparencyReport() {
        String rep = json("POST", "/api/v1/abuse-reports", null, withPow("127.0.0.1",
                "{\"category\":\"threat_to_life\",\"urls\":[\"https://forum.example/t/9\"],\"description\":\"a named person is threatened\""))
                .json().get("id").asText();
        assertThat(json("GET", "/api/v1/escalation-alerts?zone=forum", alice, null).json().get("items").size()).isEqualTo(3);
        String terminate = "{\"zone\":\"forum\",\"type\":\"terminate\",\"reason\":\"Threats against named people.\","
                + "\"statement_url\":\"https://bulwark.example/statements/forum\",\"report_ids\":[\"" + rep + "\"]}";
        assertThat(json("POST", "/api/v1/enforcement-actions", victor, terminate).status()).isEqualTo(403);
        Reply proposed = json("POST", "/api/v1/enforcement-actions", alice, terminate);
        assertThat(proposed.status()).isEqualTo(202);
        assertThat(proposed.json().get("status").asText()).isEqualTo("proposed");
        String id = proposed.json().get("id").asText();
        Reply self = json("POST", "/api/v1/enforcement-actions/" + id + "/approve", alice, null);
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.contentType()).startsWith("application/problem+json");
        assertThat(json("POST", "/api/v1/enforcement-actions/" + id + "/approve", victor, null).status()).isEqualTo(403);
        clock.advance(Duration.ofMinutes(20));
        Reply approved = json("POST", "/api/v1/enforcement-actions/" + id + "/approve", bob, null);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().get("status").asText()).isEqualTo("applied");
        ZoneConfig forum = bus.latest().config().zones().get(0);
        assertThat(forum.enforcement().terminated()).isTrue();
        assertThat(forum.enforcement().reportUrl()).isEqualTo("https://abuse.bulwark.example/abuse");

        JsonNode t = json("GET", "/api/v1/transparency?period=2026-H2", null, null).json();
        assertThat(t.at("/reports_by_category/threat_to_life").asInt()).isEqualTo(1);
        assertThat(t.at("/actions_by_type/terminate").asInt()).isEqualTo(1);
        assertThat(t.get("zones_affected").asInt()).isEqualTo(1);
        assertThat(t.get("median_minutes_threat_to_action").asDouble()).isEqualTo(20.0);
        assertThat(json("GET", "/api/v1/transparency?period=2026-H3", null, null).status()).isEqualTo(400);
        Reply page = call("127.0.0.1", "GET", "/transparency?period=2026-H2", null, null, null);
        assertThat(page.body()).contains("Transparency report 2026-H2").contains("Threats of violence or to life");

        assertThat(json("PUT", "/api/v1/transparency/statements/legal", owner, "{\"title\":\"Legal requests\",\"body\":\"We publish them.\"}").status()).isEqualTo(200);
        assertThat(json("PUT", "/api/v1/transparency/statements/legal", alice, "{\"title\":\"x\",\"body\":\"y\"}").status()).isEqualTo(403);

        // an appeal from the public needs the appeal puzzle, like a report needs its own; a token holder none
        String appealPath = "/api/v1/enforcement-actions/" + id + "/appeals";
        String appealBody = "{\"appellant\":\"owner@forum.example\",\"statement\":\"the threads are gone\"";
        Reply bare = json("POST", appealPath, null, appealBody + "}");
        assertThat(bare.status()).as(bare.body()).isEqualTo(422);
        assertThat(bare.json().get("errors").get(0).get("field").asText()).isEqualTo("pow");
        assertThat(json("POST", appealPath, null, appealBody + "," + pow("127.0.0.1") + "}").status()).isEqualTo(422);
        Reply puzzle = json("GET", "/api/v1/appeals/challenge", null, null);
        assertThat(puzzle.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(puzzle.json().get("algorithm").asText()).contains("/appeals");
        String solved = pow("127.0.0.1", "/api/v1/appeals/challenge");
        Reply appeal = json("POST", appealPath, null, appealBody + "," + solved + "}");
        assertThat(appeal.status()).as(appeal.body()).isEqualTo(201);
        assertThat(json("POST", appealPath, null, appealBody + "," + solved + "}").body()).contains("already used");
        assertThat(json("POST", appealPath, owner, appealBody + "}").status()).isEqualTo(201);
        assertThat(json("GET", "/api/v1/enforcement-actions/" + id, alice, null).json().get("appeals").size()).isEqualTo(2);
        JsonNode team = json("GET", "/api/v1/notifications", alice, null).json().get("items");
        assertThat(team).filteredOn(n -> n.get("kind").asText().equals("appeal")).hasSize(2)
                .allSatisfy(n -> assertThat(n.get("recipient").asText()).isEqualTo("trust-and-safety"));

        Reply restored = json("POST", "/api/v1/zones/forum/restore", bob, "{\"reason\":\"reviewed\"}");
        assertThat(restored.status()).isEqualTo(201);
        assertThat(bus.latest().config().zones().get(0).enforcement().terminated()).isFalse();
        assertThat(json("GET", "/api/v1/audit/verify", owner, null).json().get("intact").asBoolean()).isTrue();
        assertThat(json("GET", "/api/v1/audit?target=enforcement:" + id, owner, null).json().get("items").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theAppealFormShowsTheDecisionEscapedAndFilesOneAppealPerSolvedPuzzle() {
        assertThat(json("PUT", "/api/v1/zones/forum/contacts", alice, "{\"owner_contact\":\"owner@forum.example\"}").status()).isEqualTo(200);
        String hostile = "<script>alert(1)</script> & \"quoted\"";
        Reply acted = json("POST", "/api/v1/enforcement-actions", alice, "{\"zone\":\"forum\",\"type\":\"block_urls\",\"urls\":"
                + "[\"https://forum.example/t/7?a=1&b=2\"],\"reason\":\"" + hostile.replace("\"", "\\\"") + "\",\"legal\":true,"
                + "\"statement_url\":\"https://bulwark.example/statements?zone=forum&lang=en\"}");
        assertThat(acted.status()).as(acted.body()).isEqualTo(201);
        String id = acted.json().get("id").asText();
        // the owner is told where to appeal: this page
        assertThat(json("GET", "/api/v1/notifications", alice, null).json().get("items"))
                .filteredOn(n -> n.get("kind").asText().equals("enforcement")).singleElement()
                .satisfies(n -> assertThat(n.get("body").asText()).contains("https://abuse.bulwark.example/appeal/" + id));
        // and the edges' notice on the blocked page links the same form
        assertThat(bus.latest().config().zones().get(0).enforcement().blocked("/t/7").appealUrl())
                .isEqualTo("https://abuse.bulwark.example/appeal/" + id);

        Reply page = call("127.0.0.5", "GET", "/appeal/" + id, null, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("default-src 'none'").contains("script-src 'self'").contains("worker-src 'self'").contains("form-action 'self'"));
        assertThat(page.body()).contains("<form method=\"post\" action=\"/appeal/" + id + "\">")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; (for legal reasons)")
                .contains("https://forum.example/t/7?a=1&amp;b=2").contains("forum.example (zone forum)")
                .contains("href=\"https://bulwark.example/statements?zone=forum&amp;lang=en\"")
                .contains("1 September 2026, 08:00 UTC").contains("<script src=\"/abuse/challenge.js\"></script>")
                .contains("data-answer=\"pow_counter\"").contains("id=\"send\" disabled").contains("<noscript>")
                .doesNotContain("<script>alert").doesNotContain("\"quoted\"")
                .doesNotContain("alice").doesNotContain("Send report");
        String[] answer = solvedFormPuzzle(page);
        String typed = "<i>we removed</i> the page";

        // no puzzle answer (no JavaScript, or a bot): refused with the typed text kept and escaped, nothing stored
        Reply bare = call("127.0.0.20", "POST", "/appeal/" + id, null, "application/x-www-form-urlencoded",
                form("appellant", "owner@forum.example", "statement", typed));
        assertThat(bare.status()).isEqualTo(422);
        assertThat(bare.body()).contains("Anti-spam check: the anti-spam check was not solved")
                .contains("&lt;i&gt;we removed&lt;/i&gt; the page").contains("value=\"owner@forum.example\"").doesNotContain("<i>we");
        // a wrong answer, and the abuse form's solved puzzle (bound to another form): refused
        String wrong = wrongCounter(page);
        Reply wrongly = call("127.0.0.21", "POST", "/appeal/" + id, null, "application/x-www-form-urlencoded",
                form("appellant", "owner@forum.example", "statement", typed, "pow_token", answer[1], "pow_counter", wrong));
        assertThat(wrongly.status()).isEqualTo(422);
        assertThat(wrongly.body()).contains("Anti-spam check: ");
        String[] reportPuzzle = solvedFormPuzzle(call("127.0.0.5", "GET", "/abuse", null, null, null));
        Reply crossed = call("127.0.0.22", "POST", "/appeal/" + id, null, "application/x-www-form-urlencoded",
                form(concat(new String[] {"appellant", "owner@forum.example", "statement", typed}, reportPuzzle)));
        assertThat(crossed.status()).isEqualTo(422);
        assertThat(crossed.body()).contains("Anti-spam check: the anti-spam puzzle was not issued by this server");
        // a bad field with a good answer: the field named, the answer not spent
        Reply empty = call("127.0.0.23", "POST", "/appeal/" + id, null, "application/x-www-form-urlencoded",
                form(concat(new String[] {"appellant", "owner@forum.example", "statement", " "}, answer)));
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.body()).contains("statement: explain the appeal").doesNotContain("Anti-spam check");
        assertThat(count("appeal")).isZero();
        assertThat(count("pow_redemption")).isZero();

        Reply sent = call("127.0.0.24", "POST", "/appeal/" + id, null, "application/x-www-form-urlencoded",
                form(concat(new String[] {"appellant", "owner@forum.example", "statement", typed}, answer)));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        Matcher apl = Pattern.compile("apl_[0-9a-f]{20}").matcher(sent.body());
        assertThat(apl.find()).as(sent.body()).isTrue();
        assertThat(sent.body()).contains("Appeal received").contains("What happens next").contains("sent to <strong>owner@forum.example");
        List<Appeal> stored = cp.trustSafety().actions().appeals(id);
        assertThat(stored).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(apl.group());
            assertThat(a.appellant()).isEqualTo("owner@forum.example");
            assertThat(a.statement()).isEqualTo(typed);
        });
        assertThat(count("pow_redemption")).isEqualTo(1);
        assertThat(json("GET", "/api/v1/notifications", alice, null).json().get("items"))
                .filteredOn(n -> n.get("kind").asText().equals("appeal")).hasSize(1);

        // the same solution again: refused, still one appeal
        Reply replay = call("127.0.0.25", "POST", "/appeal/" + id, null, "application/x-www-form-urlencoded",
                form(concat(new String[] {"appellant", "owner@forum.example", "statement", typed}, answer)));
        assertThat(replay.status()).isEqualTo(422);
        assertThat(replay.body()).contains("Anti-spam check: this anti-spam answer was already used").contains("&lt;i&gt;we removed");
        assertThat(cp.trustSafety().actions().appeals(id)).hasSize(1);

        // an unknown action, and one no longer in force: a page that says so, no form, nothing filed
        Reply unknown = call("127.0.0.5", "GET", "/appeal/act_%3Cb%3Enope", null, null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("text/html");
        assertThat(unknown.body()).contains("Decision not found").contains("&lt;b&gt;nope").doesNotContain("<b>nope").doesNotContain("<form");
        assertThat(json("POST", "/api/v1/zones/forum/restore", bob, "{\"reason\":\"reviewed\"}").status()).isEqualTo(201);
        Reply lifted = call("127.0.0.5", "GET", "/appeal/" + id, null, null, null);
        assertThat(lifted.status()).isEqualTo(409);
        assertThat(lifted.body()).contains("cannot be appealed").contains("was lifted").doesNotContain("<form").doesNotContain("alert(1)");
        String fresh = pow("127.0.0.26", "/api/v1/appeals/challenge");
        Matcher t = Pattern.compile("\"token\":\"([^\"]+)\",\"counter\":(\\d+)").matcher(fresh);
        assertThat(t.find()).isTrue();
        Reply late = call("127.0.0.26", "POST", "/appeal/" + id, null, "application/x-www-form-urlencoded",
                form("appellant", "owner@forum.example", "statement", "again", "pow_token", t.group(1), "pow_counter", t.group(2)));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body()).contains("cannot be appealed");
        assertThat(cp.trustSafety().actions().appeals(id)).hasSize(1);
        assertThat(count("pow_redemption")).as("a refused appeal spends nothing").isEqualTo(1);
    }

    /** A counter that does not solve the page's puzzle. */
    private static String wrongCounter(Reply page) {
        Matcher nonce = Pattern.compile("data-nonce=\"([0-9a-f]{32})\" data-difficulty=\"(\\d+)\"").matcher(page.body());
        assertThat(nonce.find()).isTrue();
        byte[] n = HexFormat.of().parseHex(nonce.group(1));
        for (long c = 0; c < 64; c++) {
            if (!ProofOfWork.check(n, c, Integer.parseInt(nonce.group(2)))) return Long.toString(c);
        }
        throw new AssertionError("64 counters in a row solve a " + nonce.group(2) + "-bit puzzle");
    }
}
