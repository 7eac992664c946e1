package dev.bulwark.control.api;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.bulwark.control.api.ApiSupport.JSON_TYPE;
import static dev.bulwark.control.api.ApiSupport.PRINCIPAL;
import static dev.bulwark.control.api.ApiSupport.principal;

/**
 * The control plane's REST API, registered on a Javalin app (the server's admin listener, or
 * {@link ControlServer} standalone). Every {@code /api/v1} call carries
 * {@code Authorization: Bearer bwk_...}; the token decides the permissions and zones.
 *
 * <p>Conventions: JSON in the config's own snake_case shape (a zone body is exactly a zone
 * of the YAML file); listings return {@code {items, next_cursor}} and take {@code limit}
 * and {@code cursor}; creates accept {@code Idempotency-Key}; refusals are RFC 9457 problem
 * details with {@code errors: [{field, reason}]}; 401 (no or bad token) and 403 (outside the
 * token's permissions or zones) are logged with the caller's address; each caller (token,
 * else address) has its own request budget, 429 with {@code Retry-After} beyond it.
 *
 * <p>This class holds the cross-cutting parts (authentication, rate limit, error rendering,
 * the OpenAPI document); each resource's routes live in their own class ({@link ZoneRoutes},
 * {@link RuleRoutes}, {@link ListRoutes}, {@link TokenRoutes}, {@link OperatorRoutes}, {@link ConfigRoutes},
 * {@link AuditRoutes}, {@link AnalyticsRoutes}, {@link AttackRoutes}).
 */
public final class ControlApi {
    private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

    /** Tunables of the API itself. */
    public record Options(double requestsPerSecond, double burst) {
        public static Options defaults() { return new Options(50, 200); }
    }

    private final ControlPlane cp;
    private final Creates creates;
    private final RequestRateLimiter limiter;

    public ControlApi(ControlPlane cp) { this(cp, Options.defaults()); }

    public ControlApi(ControlPlane cp, Options options) {
        this.cp = cp;
        this.creates = new Creates(new IdempotencyStore(cp.database().jdbi(), cp.clock()));
        this.limiter = new RequestRateLimiter(cp.clock(), options.requestsPerSecond(), options.burst(), 4096);
    }

    /** Adds the API's routes, its authentication filter and its error rendering to {@code app}. */
    public void register(Javalin app) {
        app.get("/api/openapi.json", this::openApi);
        app.before("/api/v1/*", this::authenticate);
        // trust and safety: abuse reports, enforcement, transparency; its public routes skip authentication
        new dev.bulwark.control.trustsafety.TrustSafetyApi(cp.trustSafety(), cp.clock()).register(app);
        new ZoneRoutes(cp, creates).register(app);
        new RuleRoutes(cp, creates).register(app);
        new ListRoutes(cp, creates).register(app);
        new TokenRoutes(cp, creates).register(app);
        new OperatorRoutes(cp, creates).register(app);
        new ConfigRoutes(cp, creates).register(app);
        new AuditRoutes(cp, creates).register(app);
        new AnalyticsRoutes(cp, creates).register(app);
        new AttackRoutes(new ControlService(cp)).register(app);

        app.exception(ApiException.class, (e, ctx) -> refuse(ctx, e.status(), e.title(), e.getMessage(), e.errors()));
        app.exception(StoreException.class, (e, ctx) -> {
            ApiException a = ApiException.from(e);
            refuse(ctx, a.status(), a.title(), a.getMessage(), a.errors());
        });
    }

    // ---- authentication, scope, rate limit

    private void authenticate(Context ctx) {
        // a public route needs no token, but one that is sent is checked (a partner filing reports skips the puzzle)
        if (dev.bulwark.control.trustsafety.TrustSafetyApi.isPublic(ctx) && ctx.header("Authorization") == null) return;
        String header = ctx.header("Authorization");
        String bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        String tokenId = bearer != null && bearer.length() > 16 ? bearer.substring(0, 16) : null;
        long wait = limiter.acquire(tokenId != null ? "t:" + tokenId : "a:" + ctx.ip());
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ApiException(429, "Too many requests", "request budget exhausted; retry in " + wait + "s");
        }
        if (bearer == null) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "Unauthorized", "an Authorization: Bearer token is required");
        }
        Principal p = cp.tokens().authenticate(bearer).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return new ApiException(401, "Unauthorized", "the token is unknown, expired or revoked");
        });
        ctx.attribute(PRINCIPAL, p);
    }

    /** The caller of an {@code /api/v1} route when it sent a valid token, else null (public routes). */
    public static Principal principalIfAny(Context ctx) { return principal(ctx); }

    /** The authenticated caller of an {@code /api/v1} route (for routes registered outside this package). */
    public static Principal principalOf(Context ctx) {
        Principal p = principal(ctx);
        if (p == null) throw new ApiException(401, "Unauthorized", "an Authorization: Bearer token is required");
        return p;
    }

    private void refuse(Context ctx, int status, String title, String detail, List<FieldError> errors) {
        if (status == 401 || status == 403) {
            Principal p = principal(ctx);
            LOG.warn("refused {} {} {} from {} ({}): {}", status, ctx.method(), ctx.path(), ctx.ip(),
                    p == null ? "no valid token" : "token " + p.tokenId(), detail);
        }
        Problem.write(ctx, status, title, detail, errors);
    }

    // ---- OpenAPI

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = ControlApi.class.getResourceAsStream("/openapi.json")) {
            if (in == null) throw new ApiException(500, "Internal error", "openapi.json is missing from the build");
            ctx.status(200).contentType(JSON_TYPE).result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
