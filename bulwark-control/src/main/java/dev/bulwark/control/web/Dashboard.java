package dev.bulwark.control.web;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.api.ApiException;
import dev.bulwark.control.api.ControlService;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.core.limit.AttemptLimit;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The control plane's dashboard at {@code /dashboard} on the admin listener: server-rendered
 * HTML, htmx for the interactions, uPlot for the traffic charts.
 *
 * <p>Sign-in: the operator pastes an API token once; it is verified like any API call and
 * exchanged for a server-side {@link Sessions session} (HttpOnly, SameSite=Strict cookie, Secure
 * over TLS). The token itself is never sent back to the browser. Every later request re-reads
 * the token's principal by id, so a revoked or expired token ends the session at once, and the
 * pages act through {@link ControlService} and the trust-and-safety service with that principal:
 * the same permission and zone checks, and the same refusals, as the REST API.
 *
 * <p>Every request that changes state carries the session's CSRF token (htmx sends it as the
 * {@code X-CSRF-Token} header, plain forms as {@code _csrf}) and, when the browser sends one, an
 * {@code Origin} of this host. Every page gets a CSP without inline script or style,
 * {@code frame-ancestors 'none'}, and {@code Cache-Control: no-store} once signed in.
 */
public final class Dashboard {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    static final String COOKIE = "bulwark_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String PRINCIPAL = "bulwark.dashboard.principal";
    private static final String SESSION = "bulwark.dashboard.session";

    /** A dashboard handler, run with the signed-in principal. */
    interface Handler {
        void handle(Context ctx, Principal p, Sessions.Session s) throws Exception;
    }

    private final ControlPlane cp;
    private final Sessions sessions;
    private final Assets assets = new Assets();
    /** Ten sign-in attempts a minute per client address, counted across the fleet in cluster mode. */
    static final AttemptLimit SIGN_IN = new AttemptLimit("dashboard-sign-in", 10, java.time.Duration.ofMinutes(1));

    public Dashboard(ControlPlane cp) { this(cp, Sessions.defaults(cp.database().jdbi(), cp.clock())); }

    public Dashboard(ControlPlane cp, Sessions sessions) {
        this.cp = cp;
        this.sessions = sessions;
    }

    public void register(Javalin app) {
        app.before("/dashboard", this::filter);
        app.before("/dashboard/*", this::filter);
        app.get(Assets.BASE + "{name}", assets::serve);
        app.get("/dashboard/sign-in", ctx -> html(ctx, 200, SignInPage.render(ctx.queryParam("expired") != null ? "Your session ended; sign in again." : null)));
        app.post("/dashboard/sign-in", this::signIn);
        post(app, "/dashboard/sign-out", (ctx, p, s) -> {
            sessions.end(s.id());
            clearCookie(ctx);
            ctx.redirect("/dashboard/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
        });
        ControlService service = new ControlService(cp);
        new ZonePages(this, service, new AttackPanel(service)).register(app);
        new TrustSafetyPages(this, cp.trustSafety()).register(app);
        new AuditPages(this, service).register(app);
    }

    // ---- the filter in front of every dashboard path

    private void filter(Context ctx) {
        ctx.header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").header("Cross-Origin-Opener-Policy", "same-origin");
        String path = ctx.path();
        if (path.startsWith(Assets.BASE)) return;
        ctx.header("Cache-Control", "no-store");
        if (path.equals("/dashboard/sign-in")) return;
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(COOKIE));
        Optional<Principal> principal = session.flatMap(s -> cp.tokens().principalOf(s.tokenId())
                .filter(p -> p.operatorId().equals(s.operatorId())));
        if (principal.isEmpty()) {
            session.ifPresent(s -> sessions.end(s.id())); // the token was revoked or expired: the session goes with it
            if (ctx.cookie(COOKIE) != null) clearCookie(ctx);
            String to = "/dashboard/sign-in" + (ctx.cookie(COOKIE) != null ? "?expired=1" : "");
            if (isHtmx(ctx)) ctx.header("HX-Redirect", to).status(401).result("");
            else if (isSafe(ctx)) ctx.redirect(to, io.javalin.http.HttpStatus.SEE_OTHER);
            else ctx.status(401).contentType("text/plain; charset=utf-8").result("sign in first");
            ctx.skipRemainingHandlers();
            return;
        }
        if (!isSafe(ctx)) {
            String presented = Optional.ofNullable(ctx.header(CSRF_HEADER)).orElseGet(() -> formParamOrNull(ctx, "_csrf"));
            if (!Sessions.csrfMatches(session.get(), presented) || !sameOrigin(ctx)) {
                LOG.warn("dashboard: refused {} {} from {} (operator {}): CSRF check failed", ctx.method(), path, ctx.ip(),
                        principal.get().operatorName());
                ctx.status(403).contentType("text/html; charset=utf-8")
                        .result(Layout.alert("error", "Refused: this request did not carry the session's CSRF token. Reload the page."));
                ctx.skipRemainingHandlers();
                return;
            }
        }
        ctx.attribute(PRINCIPAL, principal.get());
        ctx.attribute(SESSION, session.get());
    }

    // ---- sign-in

    private void signIn(Context ctx) {
        long wait = SIGN_IN.attempt(cp.counters(), ctx.ip());
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            html(ctx, 429, SignInPage.render("Too many sign-in attempts from this address; retry in " + wait + " s."));
            return;
        }
        if (!sameOrigin(ctx)) {
            html(ctx, 403, SignInPage.render("Refused: the sign-in form was posted from another site."));
            return;
        }
        String token = Optional.ofNullable(ctx.formParam("token")).orElse("").trim();
        Optional<Principal> p = cp.tokens().authenticate(token);
        if (p.isEmpty()) {
            LOG.warn("dashboard: refused sign-in from {}: the token is unknown, expired or revoked", ctx.ip());
            html(ctx, 401, SignInPage.render("That token is unknown, expired or revoked."));
            return;
        }
        Sessions.Session s = sessions.open(p.get());
        LOG.info("dashboard: {} signed in from {}", p.get().actor(), ctx.ip());
        ctx.res().addHeader("Set-Cookie", COOKIE + "=" + s.id() + "; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age="
                + sessions.lifetime().toSeconds() + (ctx.req().isSecure() ? "; Secure" : ""));
        ctx.redirect("/dashboard", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private static void clearCookie(Context ctx) {
        ctx.res().addHeader("Set-Cookie", COOKIE + "=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0"
                + (ctx.req().isSecure() ? "; Secure" : ""));
    }

    // ---- handler plumbing

    void get(Javalin app, String path, Handler h) { app.get(path, ctx -> run(ctx, h)); }

    void post(Javalin app, String path, Handler h) { app.post(path, ctx -> run(ctx, h)); }

    void delete(Javalin app, String path, Handler h) { app.delete(path, ctx -> run(ctx, h)); }

    /** Runs {@code h}; a refusal the handler did not show itself becomes an alert (a fragment) or a page with it. */
    private void run(Context ctx, Handler h) throws Exception {
        Principal p = ctx.attribute(PRINCIPAL);
        Sessions.Session s = ctx.attribute(SESSION);
        try {
            h.handle(ctx, p, s);
        } catch (ApiException | StoreException e) {
            ApiException a = e instanceof StoreException se ? ApiException.from(se) : (ApiException) e;
            String message = a.title() + ": " + a.getMessage();
            if (isHtmx(ctx)) html(ctx, a.status(), Layout.alert("error", message));
            else html(ctx, a.status(), Layout.page(a.title(), "", p, s, "<h1>" + Layout.e(a.title()) + "</h1>" + Layout.alert("error", message)));
        }
    }

    static void html(Context ctx, int status, String body) {
        ctx.status(status).contentType("text/html; charset=utf-8").result(body);
    }

    static boolean isHtmx(Context ctx) { return "true".equals(ctx.header("HX-Request")); }

    private static boolean isSafe(Context ctx) {
        String m = ctx.method().name();
        return m.equals("GET") || m.equals("HEAD");
    }

    /** True unless the browser says the request came from another origin (Origin, else Sec-Fetch-Site). */
    private static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null")) {
            try {
                URI u = URI.create(origin);
                String host = ctx.header("Host");
                String authority = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
                return host != null && authority != null && host.toLowerCase(Locale.ROOT).equals(authority.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        String site = ctx.header("Sec-Fetch-Site");
        return site == null || site.equals("same-origin") || site.equals("none");
    }

    private static String formParamOrNull(Context ctx, String name) {
        String ct = ctx.contentType();
        return ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded") ? ctx.formParam(name) : null;
    }
}
