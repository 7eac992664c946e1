package dev.bulwark.control.trustsafety;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.api.ApiException;
import dev.bulwark.control.api.ControlApi;
import dev.bulwark.control.api.RequestRateLimiter;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.core.time.Clock;
import io.javalin.Javalin;
import dev.bulwark.core.challenge.FormChallenge;
import io.javalin.http.Context;

import java.net.InetAddress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The trust-and-safety routes, registered by {@link ControlApi} on the same Javalin app (and so
 * under its token filter and RFC 9457 error rendering).
 *
 * <p>Public, without a token, each limited per client address: {@code POST /api/v1/abuse-reports}
 * (JSON, or the form's urlencoded body), the HTML form at {@code GET /abuse} (posting to
 * {@code POST /abuse}), appeals ({@code POST /api/v1/enforcement-actions/{id}/appeals}, and the HTML form at
 * {@code GET /appeal/{id}} posting to {@code POST /appeal/{id}}) and the
 * transparency report ({@code GET /transparency}, {@code GET /api/v1/transparency?period=2026-H2}).
 * Everything else needs a token of an operator who may act ({@link TwoPersonRule}).
 *
 * <p>A report without a token must carry a solved proof-of-work puzzle: the form page embeds one
 * and {@code challenge.js} (served at {@value #SCRIPT_PATH}) solves it in a Web Worker; API
 * clients fetch one from {@code GET /api/v1/abuse-reports/challenge}. A report sent with a valid
 * token (operators, partners) needs none. Appeals likewise: a public one carries a solved puzzle
 * from {@code GET /api/v1/appeals/challenge} (bound to appeals), one sent with a token none.
 */
public final class TrustSafetyApi {
    private static final String JSON_TYPE = "application/json";
    private static final Pattern APPEAL = Pattern.compile("/api/v1/enforcement-actions/[^/]+/appeals");
    static final String SCRIPT_PATH = "/abuse/challenge.js";
    static final String PUZZLE_PATH = "/api/v1/abuse-reports/challenge";
    static final String APPEAL_PUZZLE_PATH = "/api/v1/appeals/challenge";
    private static final byte[] SCRIPT = dev.bulwark.core.challenge.ChallengePage.script();

    private final TrustSafety ts;
    private final Clock clock;
    /** Public submissions: 5 per address, one more every 12 s. */
    private final RequestRateLimiter publicLimiter;
    /** Public reads (the transparency report is computed per request): 20 per address, 2 a second after. */
    private final RequestRateLimiter readLimiter;

    public TrustSafetyApi(TrustSafety ts, Clock clock) {
        this.ts = ts;
        this.clock = clock;
        this.publicLimiter = new RequestRateLimiter(clock, 1 / 12.0, 5, 4096);
        this.readLimiter = new RequestRateLimiter(clock, 2, 20, 4096);
    }

    /** Routes under {@code /api/v1} that answer without a token. */
    public static boolean isPublic(Context ctx) {
        String path = ctx.path();
        String method = ctx.method().name();
        return (method.equals("POST") && (path.equals("/api/v1/abuse-reports") || APPEAL.matcher(path).matches()))
                || (method.equals("GET") && (path.equals("/api/v1/transparency") || path.equals(PUZZLE_PATH) || path.equals(APPEAL_PUZZLE_PATH)));
    }

    public void register(Javalin app) {
        app.get("/abuse", this::form);
        app.post("/abuse", this::formSubmit);
        app.get(SCRIPT_PATH, this::script);
        app.get(TrustSafety.APPEAL_PAGE + "{id}", this::appealForm);
        app.post(TrustSafety.APPEAL_PAGE + "{id}", this::appealFormSubmit);
        app.get(PUZZLE_PATH, ctx -> puzzle(ctx, ts::reportPuzzle, "the report to POST /api/v1/abuse-reports"));
        app.get(APPEAL_PUZZLE_PATH, ctx -> puzzle(ctx, ts::appealPuzzle, "the appeal to POST /api/v1/enforcement-actions/{id}/appeals"));
        app.get("/transparency", this::transparencyPage);
        app.get("/api/v1/transparency", this::transparencyJson);
        app.post("/api/v1/abuse-reports", this::submit);
        app.post("/api/v1/enforcement-actions/{id}/appeals", this::appeal);

        app.get("/api/v1/abuse-reports", this::listReports);
        app.get("/api/v1/abuse-reports/{id}", this::getReport);
        app.post("/api/v1/abuse-reports/{id}/status", this::setStatus);
        app.post("/api/v1/abuse-reports/{id}/referrals", this::refer);
        app.get("/api/v1/abuse-queue", this::queue);
        app.get("/api/v1/escalation-alerts", this::alerts);
        app.post("/api/v1/zones/{zone}/escalation-check", this::escalationCheck);
        app.get("/api/v1/zones/{zone}/contacts", this::getContact);
        app.put("/api/v1/zones/{zone}/contacts", this::putContact);
        app.get("/api/v1/notifications", this::notifications);
        app.post("/api/v1/enforcement-actions", this::act);
        app.get("/api/v1/enforcement-actions", this::listActions);
        app.get("/api/v1/enforcement-actions/{id}", this::getAction);
        app.post("/api/v1/enforcement-actions/{id}/approve", this::approve);
        app.post("/api/v1/enforcement-actions/{id}/reject", this::reject);
        app.post("/api/v1/zones/{zone}/restore", this::restore);
        app.post("/api/v1/appeals/{id}/decision", this::decide);
        app.put("/api/v1/transparency/statements/{id}", this::putStatement);
    }

    // ---- public

    private void submit(Context ctx) {
        Principal p = ControlApi.principalIfAny(ctx);
        if (p == null) limit(ctx); // token holders are limited per token by the API's own filter
        if (isForm(ctx)) {
            formSubmit(ctx);
            return;
        }
        ObjectNode body = body(ctx);
        ReportSubmission s = submission(body);
        AbuseReport r = p != null ? ts.submit(p.actor(), s) : ts.submit(s, proof(ctx, body.get("pow"), PUZZLE_PATH));
        json(ctx, 201, receipt(r));
    }

    /** The puzzle of a JSON submission: {@code "pow": {"token": "…", "counter": 123}}, fetched from {@code from}. */
    private static TrustSafety.Proof proof(Context ctx, JsonNode pow, String from) {
        if (pow != null && !pow.isNull() && !pow.isObject()) {
            throw StoreException.invalid("pow", "must be an object {\"token\": …, \"counter\": …} (GET " + from + " for a puzzle)");
        }
        JsonNode token = pow == null ? null : pow.get("token");
        JsonNode counter = pow == null ? null : pow.get("counter");
        return new TrustSafety.Proof(token == null || !token.isTextual() ? null : token.asText(),
                counter == null || !(counter.isIntegralNumber() || counter.isTextual()) ? null : counter.asText(),
                client(ctx), ctx.header("User-Agent"));
    }

    /** A puzzle as JSON for a client without a token; {@code use} says what to send it with. */
    private void puzzle(Context ctx, java.util.function.BiFunction<InetAddress, String, FormChallenge.Puzzle> issue, String use) {
        limitReads(ctx);
        FormChallenge.Puzzle pz = issue.apply(client(ctx), ctx.header("User-Agent"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", pz.token());
        m.put("nonce", pz.nonceHex());
        m.put("difficulty", pz.difficulty());
        m.put("expires_at", pz.expiresAt());
        m.put("algorithm", "find counter (0..2^53-1) such that SHA-256(nonce as 16 bytes || counter as 8 bytes big-endian) "
                + "starts with difficulty zero bits; send {\"pow\": {\"token\", \"counter\"}} with " + use + ", from the same "
                + "address and User-Agent, once");
        ctx.header("Cache-Control", "no-store");
        json(ctx, 200, m);
    }

    private void script(Context ctx) {
        ctx.status(200).contentType("text/javascript; charset=utf-8").header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "public, max-age=3600").result(SCRIPT);
    }

    private void formSubmit(Context ctx) {
        limit(ctx);
        ReportSubmission s = new ReportSubmission(ctx.formParam("category"), lines(ctx.formParam("urls")), ctx.formParam("description"),
                ctx.formParam("evidence"), ctx.formParam("reporter_name"), ctx.formParam("reporter_contact"),
                "yes".equals(ctx.formParam("forward_to_owner")) || "true".equals(ctx.formParam("forward_to_owner")));
        try {
            AbuseReport r = ts.submit(s, new TrustSafety.Proof(ctx.formParam("pow_token"), ctx.formParam("pow_counter"), client(ctx),
                    ctx.header("User-Agent")));
            html(ctx, 201, Html.page("Report received", "<h1>Report received</h1><p>Your report was stored. Its reference is <strong>"
                    + Html.esc(r.id()) + "</strong>; quote it if you write to us again.</p>"
                    + (r.forwardToOwner() ? "<p>As you allowed, it will be forwarded to the site's owner.</p>" : "<p>It will not be forwarded to the site's owner.</p>")));
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.INVALID) throw e;
            formPage(ctx, 422, s, e.errors());
        }
    }

    private void form(Context ctx) {
        String url = ctx.queryParam("url");
        formPage(ctx, 200, new ReportSubmission(null, url == null ? List.of() : List.of(url), null, null, null, null, null), List.of());
    }

    /** The form with a fresh puzzle for this client (a refused submission's puzzle may be spent or stale). */
    private void formPage(Context ctx, int status, ReportSubmission s, List<FieldError> errors) {
        FormChallenge.Puzzle pz = ts.reportPuzzle(client(ctx), ctx.header("User-Agent"));
        ctx.header("Cache-Control", "no-store");
        html(ctx, status, AbuseForm.render(s, errors, pz, SCRIPT_PATH), Html.FORM_CSP);
    }

    private static InetAddress client(Context ctx) {
        try {
            return InetAddress.getByName(ctx.ip()); // a literal address: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("not an address: " + ctx.ip(), e);
        }
    }

    /** An appeal: with a token (filed for the owner) as is, else with a solved appeal puzzle, like a public report. */
    private void appeal(Context ctx) {
        Principal p = ControlApi.principalIfAny(ctx);
        if (p == null) limit(ctx);
        ObjectNode b = body(ctx);
        String id = ctx.pathParam("id"), appellant = text(b, "appellant"), statement = text(b, "statement");
        Appeal a = p != null ? ts.appeal(p.actor(), id, appellant, statement)
                : ts.appeal(id, appellant, statement, proof(ctx, b.get("pow"), APPEAL_PUZZLE_PATH));
        json(ctx, 201, a);
    }

    /** The appeal form of one decision; it reads the store, so it is limited like the other public reads. */
    private void appealForm(Context ctx) {
        limitReads(ctx);
        appealFormPage(ctx, 200, ctx.pathParam("id"), null, null, List.of());
    }

    /** The form's appeal, filed by the same {@link TrustSafety#appeal} as the JSON route: checked, spent and stored in one transaction. */
    private void appealFormSubmit(Context ctx) {
        limit(ctx);
        String id = ctx.pathParam("id"), appellant = ctx.formParam("appellant"), statement = ctx.formParam("statement");
        try {
            Appeal ap = ts.appeal(id, appellant, statement, new TrustSafety.Proof(ctx.formParam("pow_token"), ctx.formParam("pow_counter"),
                    client(ctx), ctx.header("User-Agent")));
            html(ctx, 201, AppealForm.received(ap));
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.INVALID && e.kind() != StoreException.Kind.NOT_FOUND) throw e;
            appealFormPage(ctx, 422, id, appellant, statement, e.errors());
        } catch (ApiException e) {
            if (e.status() != 409) throw e;
            appealFormPage(ctx, 409, id, appellant, statement, List.of()); // the action left force meanwhile: the page says so
        }
    }

    /**
     * The appeal form with a fresh puzzle for this client and the typed text, or the page saying
     * why there is nothing to appeal: 404 for an unknown action, 409 for one not in force.
     */
    private void appealFormPage(Context ctx, int status, String id, String appellant, String statement, List<FieldError> errors) {
        ctx.header("Cache-Control", "no-store");
        EnforcementAction a = ts.action(id).orElse(null);
        if (a == null) {
            html(ctx, 404, AppealForm.unknown(id));
        } else if (!a.appealable()) {
            html(ctx, 409, AppealForm.closed(a));
        } else {
            FormChallenge.Puzzle pz = ts.appealPuzzle(client(ctx), ctx.header("User-Agent"));
            html(ctx, status, AppealForm.render(a, appellant, statement, errors, pz, SCRIPT_PATH), Html.FORM_CSP);
        }
    }

    private void transparencyJson(Context ctx) {
        limitReads(ctx);
        json(ctx, 200, ts.transparency(period(ctx)));
    }

    private void transparencyPage(Context ctx) {
        limitReads(ctx);
        html(ctx, 200, TransparencyPage.render(ts.transparency(period(ctx))));
    }

    // ---- operators

    private void listReports(Context ctx) {
        Principal p = operator(ctx, ctx.queryParam("zone"));
        ReportStatus status = ctx.queryParam("status") == null ? null : parse(() -> ReportStatus.parse(ctx.queryParam("status")), "status");
        List<AbuseReport> items = ts.reports().list(ctx.queryParam("zone"), status, limitParam(ctx)).stream()
                .filter(r -> p.canSeeZone(r.zoneId())).toList();
        json(ctx, 200, Map.of("items", items));
    }

    private void getReport(Context ctx) {
        AbuseReport r = ts.reports().find(ctx.pathParam("id")).orElseThrow(() -> StoreException.notFound("no abuse report '" + ctx.pathParam("id") + "'"));
        operator(ctx, r.zoneId());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("report", r);
        m.put("referrals", ts.contacts().referrals(r.id()));
        m.put("notifications", ts.outbox().list(r.id(), 100));
        json(ctx, 200, m);
    }

    private void setStatus(Context ctx) {
        Principal p = ControlApi.principalOf(ctx);
        ReportStatus s = parse(() -> ReportStatus.parse(text(body(ctx), "status")), "status");
        json(ctx, 200, ts.setStatus(p, ctx.pathParam("id"), s));
    }

    private void refer(Context ctx) {
        Principal p = ControlApi.principalOf(ctx);
        ObjectNode b = body(ctx);
        json(ctx, 201, ts.refer(p, ctx.pathParam("id"), text(b, "agency"), text(b, "reference")));
    }

    private void queue(Context ctx) {
        json(ctx, 200, Map.of("items", ts.queue(ControlApi.principalOf(ctx))));
    }

    private void alerts(Context ctx) {
        json(ctx, 200, Map.of("items", ts.alerts(ControlApi.principalOf(ctx), ctx.queryParam("zone"), limitParam(ctx))));
    }

    private void escalationCheck(Context ctx) {
        operator(ctx, ctx.pathParam("zone"));
        json(ctx, 200, Map.of("raised", ts.checkEscalation(ctx.pathParam("zone"))));
    }

    private void getContact(Context ctx) {
        String zone = ctx.pathParam("zone");
        operator(ctx, zone);
        json(ctx, 200, ts.contacts().find(zone).orElseThrow(() -> StoreException.notFound("no contacts recorded for zone '" + zone + "'")));
    }

    private void putContact(Context ctx) {
        Principal p = ControlApi.principalOf(ctx);
        ObjectNode b = body(ctx);
        String zone = ctx.pathParam("zone");
        json(ctx, 200, ts.putContact(p, new ZoneContact(zone, text(b, "owner_contact"), text(b, "owner_webhook"),
                text(b, "hosting_provider"), text(b, "hosting_contact"), 0)));
    }

    private void notifications(Context ctx) {
        operator(ctx, null);
        json(ctx, 200, Map.of("items", ts.outbox().list(ctx.queryParam("report"), limitParam(ctx))));
    }

    private void act(Context ctx) {
        Principal p = ControlApi.principalOf(ctx);
        ObjectNode b = body(ctx);
        ActionRequest req = new ActionRequest(text(b, "zone"), text(b, "type"), strings(b, "urls"), text(b, "reason"),
                b.hasNonNull("legal") ? b.get("legal").asBoolean() : null, text(b, "statement_url"), strings(b, "report_ids"));
        EnforcementAction a = ts.act(p, req);
        json(ctx, a.status() == EnforcementAction.Status.PROPOSED ? 202 : 201, a);
    }

    private void listActions(Context ctx) {
        json(ctx, 200, Map.of("items", ts.actions(ControlApi.principalOf(ctx), ctx.queryParam("zone"), limitParam(ctx))));
    }

    private void getAction(Context ctx) {
        operator(ctx, null);
        EnforcementAction a = ts.action(ctx.pathParam("id")).orElseThrow(() -> StoreException.notFound("no enforcement action '" + ctx.pathParam("id") + "'"));
        operator(ctx, a.zoneId());
        json(ctx, 200, Map.of("action", a, "appeals", ts.actions().appeals(a.id())));
    }

    private void approve(Context ctx) {
        json(ctx, 200, ts.approve(ControlApi.principalOf(ctx), ctx.pathParam("id")));
    }

    private void reject(Context ctx) {
        json(ctx, 200, ts.reject(ControlApi.principalOf(ctx), ctx.pathParam("id")));
    }

    private void restore(Context ctx) {
        Principal p = ControlApi.principalOf(ctx);
        ObjectNode b = ctx.body().isBlank() ? Canonical.JSON.createObjectNode() : body(ctx);
        json(ctx, 201, ts.restore(p, ctx.pathParam("zone"), text(b, "action_id"), text(b, "reason")));
    }

    private void decide(Context ctx) {
        Principal p = ControlApi.principalOf(ctx);
        ObjectNode b = body(ctx);
        JsonNode reverse = b.get("reverse");
        if (reverse == null || !reverse.isBoolean()) throw ApiException.badRequest("reverse", "reverse must be true (reverse the action) or false (uphold it)");
        json(ctx, 200, ts.decideAppeal(p, ctx.pathParam("id"), reverse.asBoolean(), text(b, "decision")));
    }

    private void putStatement(Context ctx) {
        Principal p = ControlApi.principalOf(ctx);
        ObjectNode b = body(ctx);
        json(ctx, 200, ts.putStatement(p, ctx.pathParam("id"), text(b, "title"), text(b, "body")));
    }

    // ---- plumbing

    private Principal operator(Context ctx, String zone) {
        Principal p = ControlApi.principalOf(ctx);
        TwoPersonRule.checkMayAct(p, zone);
        return p;
    }

    private void limit(Context ctx) {
        if (ctx.attribute("bulwark.ts.limited") != null) return;
        ctx.attribute("bulwark.ts.limited", Boolean.TRUE);
        long wait = publicLimiter.acquire("public:" + ctx.ip());
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ApiException(429, "Too many requests", "too many submissions from this address; retry in " + wait + "s");
        }
    }

    private void limitReads(Context ctx) {
        long wait = readLimiter.acquire("read:" + ctx.ip());
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ApiException(429, "Too many requests", "too many requests from this address; retry in " + wait + "s");
        }
    }

    private ReportPeriod period(Context ctx) {
        String p = ctx.queryParam("period");
        return p == null ? ReportPeriod.containing(clock.currentTimeMillis()) : parse(() -> ReportPeriod.parse(p), "period");
    }

    private static <T> T parse(java.util.function.Supplier<T> s, String field) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, e.getMessage());
        }
    }

    private static boolean isForm(Context ctx) {
        String ct = ctx.contentType();
        return ct != null && ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    static ReportSubmission submission(ObjectNode b) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode fwd = b.get("forward_to_owner");
        if (fwd != null && !fwd.isNull() && !fwd.isBoolean()) errors.add(new FieldError("forward_to_owner", "must be true or false"));
        JsonNode urls = b.get("urls");
        if (urls != null && !urls.isNull() && !urls.isArray()) errors.add(new FieldError("urls", "must be a list of URLs"));
        for (String f : List.of("category", "description", "evidence", "reporter_name", "reporter_contact")) {
            JsonNode n = b.get(f);
            if (n != null && !n.isNull() && !n.isTextual()) errors.add(new FieldError(f, "must be text"));
        }
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
        return new ReportSubmission(text(b, "category"), strings(b, "urls"), text(b, "description"), text(b, "evidence"),
                text(b, "reporter_name"), text(b, "reporter_contact"), fwd == null || fwd.isNull() ? null : fwd.asBoolean());
    }

    private static Map<String, Object> receipt(AbuseReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("status", r.status().wire());
        m.put("category", r.category().wire());
        m.put("zone", r.zoneId());
        m.put("received_at", r.receivedAt());
        m.put("forward_to_owner", r.forwardToOwner());
        return m;
    }

    private static String text(ObjectNode b, String field) {
        JsonNode n = b.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static List<String> strings(ObjectNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || !n.isArray()) return List.of();
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static List<String> lines(String s) {
        return s == null ? List.of() : List.of(s.split("\\s*[\\r\\n]+\\s*"));
    }

    private static int limitParam(Context ctx) {
        String s = ctx.queryParam("limit");
        if (s == null) return 100;
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1 && n <= 1000) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badRequest("limit", "limit must be 1..1000");
    }

    private static ObjectNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) throw ApiException.badRequest("", "a JSON object body is required");
        try {
            JsonNode n = Canonical.JSON.readTree(text);
            if (!(n instanceof ObjectNode o)) throw ApiException.badRequest("", "the body must be a JSON object");
            return o;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("", "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(JSON_TYPE).result(Canonical.JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void html(Context ctx, int status, String page) { html(ctx, status, page, Html.CSP); }

    private static void html(Context ctx, int status, String page, String csp) {
        ctx.status(status).contentType("text/html; charset=utf-8").header("Content-Security-Policy", csp)
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer").result(page);
    }

}
