package dev.bulwark.control.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.analytics.Analytics;
import dev.bulwark.control.analytics.TopDimension;
import dev.bulwark.control.audit.AuditChain;
import dev.bulwark.control.audit.AuditEntry;
import dev.bulwark.control.auth.ApiToken;
import dev.bulwark.control.auth.IssuedToken;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.auth.Role;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.ConfigVersion;
import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.Page;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ConfigProblem;
import dev.bulwark.core.config.Durations;
import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.config.ZoneConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

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
 */
public final class ControlApi {
    private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);
    private static final String JSON_TYPE = "application/json";
    /** Plain JSON; values are first turned into trees by the config mapper so the API speaks the YAML file's shape. */
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRINCIPAL = "bulwark.principal";
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    /** Tunables of the API itself. */
    public record Options(double requestsPerSecond, double burst) {
        public static Options defaults() { return new Options(50, 200); }
    }

    private record Response(int status, Object body, Object replayBody) {
        Response(int status, Object body) { this(status, body, body); }
    }

    private final ControlPlane cp;
    private final IdempotencyStore idempotency;
    private final RequestRateLimiter limiter;
    private final SecureRandom random = new SecureRandom();

    public ControlApi(ControlPlane cp) { this(cp, Options.defaults()); }

    public ControlApi(ControlPlane cp, Options options) {
        this.cp = cp;
        this.idempotency = new IdempotencyStore(cp.database().jdbi(), cp.clock());
        this.limiter = new RequestRateLimiter(cp.clock(), options.requestsPerSecond(), options.burst(), 4096);
    }

    /** Adds the API's routes, its authentication filter and its error rendering to {@code app}. */
    public void register(Javalin app) {
        app.get("/api/openapi.json", this::openApi);
        // trust and safety first: its public routes (abuse reports, transparency) skip authentication
        new dev.bulwark.control.trustsafety.TrustSafetyApi(cp.trustSafety(), cp.clock()).register(app);
        app.before("/api/v1/*", this::authenticate);

        app.get("/api/v1/zones", this::listZones);
        app.post("/api/v1/zones", this::createZone);
        app.get("/api/v1/zones/{zone}", this::getZone);
        app.put("/api/v1/zones/{zone}", this::replaceZone);
        app.delete("/api/v1/zones/{zone}", this::deleteZone);

        for (RuleKind kind : RuleKind.values()) {
            String base = "/api/v1/zones/{zone}/" + kind.segment;
            app.get(base, ctx -> listRules(ctx, kind));
            app.post(base, ctx -> createRule(ctx, kind));
            app.get(base + "/{rule}", ctx -> getRule(ctx, kind));
            app.put(base + "/{rule}", ctx -> replaceRule(ctx, kind));
            app.delete(base + "/{rule}", ctx -> deleteRule(ctx, kind));
        }

        app.get("/api/v1/zones/{zone}/lists", this::listZoneLists);
        app.put("/api/v1/zones/{zone}/lists/{name}", this::putZoneList);
        app.delete("/api/v1/zones/{zone}/lists/{name}", this::deleteZoneList);
        app.get("/api/v1/lists", this::listLists);
        app.get("/api/v1/lists/{name}", this::getList);
        app.put("/api/v1/lists/{name}", this::putList);
        app.delete("/api/v1/lists/{name}", this::deleteList);

        app.get("/api/v1/tokens", this::listTokens);
        app.post("/api/v1/tokens", this::createToken);
        app.delete("/api/v1/tokens/{token}", this::revokeToken);

        app.get("/api/v1/config/versions", this::listVersions);
        app.get("/api/v1/config/versions/{number}", this::getVersion);
        app.get("/api/v1/config/diff", this::diff);
        app.post("/api/v1/config/rollback", this::rollback);
        app.post("/api/v1/config/import", this::importConfig);

        app.get("/api/v1/audit", this::listAudit);
        app.get("/api/v1/audit/verify", this::verifyAudit);
        app.get("/api/v1/audit/export", this::exportAudit);

        app.get("/api/v1/zones/{zone}/analytics", this::series);
        app.get("/api/v1/zones/{zone}/analytics/top", this::top);

        app.exception(ApiException.class, (e, ctx) -> refuse(ctx, e.status(), e.title(), e.getMessage(), e.errors()));
        app.exception(StoreException.class, (e, ctx) -> {
            switch (e.kind()) {
                case INVALID -> refuse(ctx, 422, "Validation failed", e.getMessage(), e.errors());
                case BAD_PARAMETER -> refuse(ctx, 400, "Invalid request", e.getMessage(), e.errors());
                case NOT_FOUND -> refuse(ctx, 404, "Not found", e.getMessage(), List.of());
                case CONFLICT -> refuse(ctx, 409, "Conflict", e.getMessage(), List.of());
            }
        });
    }

    // ---- authentication, scope, rate limit

    private void authenticate(Context ctx) {
        if (dev.bulwark.control.trustsafety.TrustSafetyApi.isPublic(ctx)) return;
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

    private static Principal principal(Context ctx) { return ctx.attribute(PRINCIPAL); }

    /** The authenticated caller of an {@code /api/v1} route (routes registered by other packages use this). */
    public static Principal principalOf(Context ctx) {
        Principal p = principal(ctx);
        if (p == null) throw new ApiException(401, "Unauthorized", "an Authorization: Bearer token is required");
        return p;
    }

    private static Principal require(Context ctx, Permission permission) {
        Principal p = principal(ctx);
        if (!p.can(permission)) throw new ApiException(403, "Forbidden", "this token lacks the " + permission.wire() + " permission");
        return p;
    }

    private static Principal requireZone(Context ctx, Permission permission, String zone) {
        Principal p = require(ctx, permission);
        if (!p.canSeeZone(zone)) throw new ApiException(403, "Forbidden", "this token is not scoped to zone '" + zone + "'");
        return p;
    }

    private static Principal requireAllZones(Context ctx, Permission permission) {
        Principal p = require(ctx, permission);
        if (!p.allZones()) throw new ApiException(403, "Forbidden", "this call needs a token scoped to every zone");
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

    // ---- zones

    private void listZones(Context ctx) {
        Principal p = require(ctx, Permission.ZONES_READ);
        Page<ZoneConfig> page = cp.store().zones(limit(ctx), ctx.queryParam("cursor"), p.allZones() ? null : p.zones());
        json(ctx, 200, page(page.items(), page.nextCursor()));
    }

    private void getZone(Context ctx) {
        String id = ctx.pathParam("zone");
        requireZone(ctx, Permission.ZONES_READ, id);
        json(ctx, 200, zoneOrThrow(id));
    }

    private void createZone(Context ctx) {
        ObjectNode body = body(ctx);
        JsonNode id = body.get("id");
        if (id == null || !id.isTextual()) throw ApiException.badRequest("id", "id is required");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, id.asText());
        create(ctx, p, () -> {
            ConfigStore.Commit c = cp.store().createZone(p.actor(), body, ctx.queryParam("message"));
            return new Response(201, commitBody(c, "zone", zoneIn(c, id.asText())));
        });
    }

    private void replaceZone(Context ctx) {
        String id = ctx.pathParam("zone");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, id);
        ObjectNode body = body(ctx);
        JsonNode bodyId = body.get("id");
        if (bodyId != null && !bodyId.asText().equals(id)) throw ApiException.badRequest("id", "id must match the zone in the path ('" + id + "')");
        ConfigStore.Commit c = cp.store().replaceZone(p.actor(), id, body, ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, "zone", zoneIn(c, id)));
    }

    private void deleteZone(Context ctx) {
        String id = ctx.pathParam("zone");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, id);
        ConfigStore.Commit c = cp.store().deleteZone(p.actor(), id, ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, null, null));
    }

    // ---- rules

    private enum RuleKind {
        FIREWALL("firewall-rules", "firewall", "firewall rule"),
        RATE_LIMIT("rate-limit-rules", "rate_limits", "rate-limit rule");

        final String segment, section, noun;

        RuleKind(String segment, String section, String noun) {
            this.segment = segment;
            this.section = section;
            this.noun = noun;
        }

        List<?> rules(ZoneConfig z) { return this == FIREWALL ? z.firewall() : z.rateLimits(); }

        static String idOf(Object rule) {
            return rule instanceof FirewallRuleConfig f ? f.id() : ((RateLimitRuleConfig) rule).id();
        }
    }

    private void listRules(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ZONES_READ, zone);
        json(ctx, 200, page(kind.rules(zoneOrThrow(zone)), null));
    }

    private void getRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ZONES_READ, zone);
        json(ctx, 200, ruleOrThrow(zoneOrThrow(zone), kind, ctx.pathParam("rule")));
    }

    private void createRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        ObjectNode body = body(ctx);
        if (!body.hasNonNull("id")) body.put("id", "rule-" + HexFormat.of().formatHex(randomBytes(4)));
        String ruleId = body.get("id").asText();
        create(ctx, p, () -> {
            ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, kind.section.replace("_", "-") + ".create",
                    Optional.ofNullable(ctx.queryParam("message")).orElse("add " + kind.noun + " " + ruleId + " to " + zone), z -> {
                        ArrayNode rules = rulesOf(z, kind);
                        if (indexOf(rules, ruleId) >= 0) throw StoreException.conflict(kind.noun + " '" + ruleId + "' already exists");
                        rules.add(body);
                        return kind.section + "[" + (rules.size() - 1) + "]";
                    });
            return new Response(201, commitBody(c, "rule", ruleOrThrow(zoneIn(c, zone), kind, ruleId)));
        });
    }

    private void replaceRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        String ruleId = ctx.pathParam("rule");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        ObjectNode body = body(ctx);
        body.put("id", ruleId);
        ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, kind.section.replace("_", "-") + ".update",
                Optional.ofNullable(ctx.queryParam("message")).orElse("update " + kind.noun + " " + ruleId + " of " + zone), z -> {
                    ArrayNode rules = rulesOf(z, kind);
                    int i = indexOf(rules, ruleId);
                    if (i < 0) throw StoreException.notFound("no " + kind.noun + " '" + ruleId + "' in zone '" + zone + "'");
                    rules.set(i, body);
                    return kind.section + "[" + i + "]";
                });
        json(ctx, 200, commitBody(c, "rule", ruleOrThrow(zoneIn(c, zone), kind, ruleId)));
    }

    private void deleteRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        String ruleId = ctx.pathParam("rule");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, kind.section.replace("_", "-") + ".delete",
                Optional.ofNullable(ctx.queryParam("message")).orElse("delete " + kind.noun + " " + ruleId + " of " + zone), z -> {
                    ArrayNode rules = rulesOf(z, kind);
                    int i = indexOf(rules, ruleId);
                    if (i < 0) throw StoreException.notFound("no " + kind.noun + " '" + ruleId + "' in zone '" + zone + "'");
                    rules.remove(i);
                    return "";
                });
        json(ctx, 200, commitBody(c, null, null));
    }

    private static ArrayNode rulesOf(ObjectNode zone, RuleKind kind) {
        JsonNode n = zone.get(kind.section);
        return n instanceof ArrayNode a ? a : zone.putArray(kind.section);
    }

    private static int indexOf(ArrayNode arr, String id) {
        for (int i = 0; i < arr.size(); i++) if (id.equals(arr.get(i).path("id").asText(null))) return i;
        return -1;
    }

    private static Object ruleOrThrow(ZoneConfig z, RuleKind kind, String id) {
        for (Object r : kind.rules(z)) if (id.equals(RuleKind.idOf(r))) return r;
        throw StoreException.notFound("no " + kind.noun + " '" + id + "' in zone '" + z.id() + "'");
    }

    // ---- lists

    private void listZoneLists(Context ctx) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ZONES_READ, zone);
        json(ctx, 200, Map.of("lists", zoneOrThrow(zone).lists()));
    }

    private void putZoneList(Context ctx) {
        String zone = ctx.pathParam("zone");
        String name = ctx.pathParam("name");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        List<String> items = items(body(ctx));
        ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, "zone-list.put", "set list " + name + " of " + zone, z -> {
            JsonNode l = z.get("lists");
            ObjectNode lists = l instanceof ObjectNode o ? o : z.putObject("lists");
            ArrayNode arr = lists.putArray(name);
            items.forEach(arr::add);
            return "lists." + name;
        });
        json(ctx, 200, commitBody(c, "items", zoneIn(c, zone).lists().get(name)));
    }

    private void deleteZoneList(Context ctx) {
        String zone = ctx.pathParam("zone");
        String name = ctx.pathParam("name");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, "zone-list.delete", "delete list " + name + " of " + zone, z -> {
            JsonNode lists = z.get("lists");
            if (!(lists instanceof ObjectNode o) || o.remove(name) == null) throw StoreException.notFound("no list '" + name + "' in zone '" + zone + "'");
            return "";
        });
        json(ctx, 200, commitBody(c, null, null));
    }

    private void listLists(Context ctx) {
        require(ctx, Permission.ZONES_READ);
        json(ctx, 200, Map.of("lists", cp.store().lists()));
    }

    private void getList(Context ctx) {
        require(ctx, Permission.ZONES_READ);
        String name = ctx.pathParam("name");
        List<String> items = cp.store().lists().get(name);
        if (items == null) throw StoreException.notFound("no list '" + name + "'");
        json(ctx, 200, Map.of("name", name, "items", items));
    }

    private void putList(Context ctx) {
        Principal p = requireAllZones(ctx, Permission.CONFIG_WRITE);
        String name = ctx.pathParam("name");
        ConfigStore.Commit c = cp.store().putList(p.actor(), name, items(body(ctx)), ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, "items", c.config().lists().get(name)));
    }

    private void deleteList(Context ctx) {
        Principal p = requireAllZones(ctx, Permission.CONFIG_WRITE);
        ConfigStore.Commit c = cp.store().deleteList(p.actor(), ctx.pathParam("name"), ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, null, null));
    }

    private static List<String> items(ObjectNode body) {
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) throw ApiException.badRequest("items", "items must be an array of strings");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual()) throw ApiException.badRequest("items[" + i + "]", "must be a string");
            out.add(items.get(i).asText());
        }
        return out;
    }

    // ---- tokens

    private void listTokens(Context ctx) {
        Principal p = require(ctx, Permission.TOKENS_WRITE);
        boolean all = p.allZones() && (p.role() == Role.OWNER || p.role() == Role.ADMIN);
        List<Map<String, Object>> items = new ArrayList<>();
        for (ApiToken t : cp.tokens().list(all ? null : p.operatorId())) items.add(tokenView(t));
        json(ctx, 200, page(items, null));
    }

    private void createToken(Context ctx) {
        Principal p = require(ctx, Permission.TOKENS_WRITE);
        ObjectNode body = body(ctx);
        String name = body.path("name").asText(null);
        Set<String> zones = new LinkedHashSet<>();
        JsonNode z = body.get("zones");
        if (z == null) zones.add("*");
        else if (z.isArray()) z.forEach(n -> zones.add(n.asText()));
        else throw ApiException.badRequest("zones", "zones must be an array of zone ids or [\"*\"]");
        Set<Permission> perms = EnumSet.noneOf(Permission.class);
        JsonNode pn = body.get("permissions");
        if (pn == null || !pn.isArray()) throw ApiException.badRequest("permissions", "permissions must be an array such as [\"zones:read\"]");
        for (int i = 0; i < pn.size(); i++) {
            try {
                perms.add(Permission.parse(pn.get(i).asText()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("permissions[" + i + "]", e.getMessage());
            }
        }
        Long expiresAt = null;
        if (body.hasNonNull("expires_in")) {
            try {
                expiresAt = cp.clock().currentTimeMillis() + Durations.parse(body.get("expires_in").asText()).toMillis();
            } catch (RuntimeException e) {
                throw ApiException.badRequest("expires_in", "expires_in must be a duration such as 30d or 12h");
            }
        } else if (body.hasNonNull("expires_at")) {
            if (!body.get("expires_at").canConvertToLong()) throw ApiException.badRequest("expires_at", "expires_at must be epoch milliseconds");
            expiresAt = body.get("expires_at").asLong();
        }
        String operator = body.path("operator").asText(p.operatorId());
        if (!operator.equals(p.operatorId()) && !(p.role() == Role.OWNER || p.role() == Role.ADMIN)) {
            throw new ApiException(403, "Forbidden", "only owners and admins issue tokens for other operators");
        }
        Long exp = expiresAt;
        create(ctx, p, () -> {
            IssuedToken t;
            try {
                t = cp.tokens().create(p, operator, name, zones, perms, exp);
            } catch (IllegalArgumentException e) {
                String msg = e.getMessage();
                int colon = msg.indexOf(':');
                throw ApiException.badRequest(colon > 0 ? msg.substring(0, colon) : "", colon > 0 ? msg.substring(colon + 1).trim() : msg);
            } catch (SecurityException e) {
                throw new ApiException(403, "Forbidden", e.getMessage());
            }
            Map<String, Object> view = tokenView(t.token());
            Map<String, Object> shown = new LinkedHashMap<>(view);
            shown.put("token", t.secret());
            Map<String, Object> replay = new LinkedHashMap<>(view);
            replay.put("token", null); // the secret is never stored, so a replay cannot show it again
            return new Response(201, shown, replay);
        });
    }

    private void revokeToken(Context ctx) {
        Principal p = require(ctx, Permission.TOKENS_WRITE);
        String id = ctx.pathParam("token");
        boolean admin = p.role() == Role.OWNER || p.role() == Role.ADMIN;
        Optional<ApiToken> t = cp.tokens().list(admin ? null : p.operatorId()).stream().filter(x -> x.id().equals(id)).findFirst();
        if (t.isEmpty() || t.get().revokedAt() != null) throw StoreException.notFound("no active token '" + id + "'");
        cp.tokens().revoke(p, id);
        json(ctx, 200, Map.of("id", id, "revoked", true));
    }

    private static Map<String, Object> tokenView(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("operator", t.operatorId());
        m.put("zones", t.zones().stream().sorted().toList());
        m.put("permissions", t.permissions().stream().map(Permission::wire).sorted().toList());
        m.put("created_at", t.createdAt());
        m.put("expires_at", t.expiresAt());
        m.put("revoked_at", t.revokedAt());
        return m;
    }

    // ---- config versions

    private void listVersions(Context ctx) {
        requireAllZones(ctx, Permission.CONFIG_READ);
        Page<ConfigVersion> page = cp.store().versions(limit(ctx), ctx.queryParam("cursor"));
        json(ctx, 200, page(page.items(), page.nextCursor()));
    }

    private void getVersion(Context ctx) {
        requireAllZones(ctx, Permission.CONFIG_READ);
        long n = longParam(ctx.pathParam("number"), "number");
        ConfigVersion v = cp.store().version(n).orElseThrow(() -> StoreException.notFound("no config version " + n));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", v.number());
        m.put("author", v.author());
        m.put("created_at", v.createdAt());
        m.put("message", v.message());
        m.put("document", cp.store().versionDocument(n).orElseThrow());
        json(ctx, 200, m);
    }

    private void diff(Context ctx) {
        requireAllZones(ctx, Permission.CONFIG_READ);
        long latest = cp.store().latestVersion();
        long to = ctx.queryParam("to") == null ? latest : longParam(ctx.queryParam("to"), "to");
        long from = ctx.queryParam("from") == null ? Math.max(0, to - 1) : longParam(ctx.queryParam("from"), "from");
        String zone = ctx.queryParam("zone");
        List<ConfigStore.Change> changes = cp.store().diff(from, to).stream()
                .filter(c -> zone == null || (c.kind().equals("zone") && c.name().equals(zone))).toList();
        json(ctx, 200, Map.of("from", from, "to", to, "changes", changes));
    }

    private void rollback(Context ctx) {
        Principal p = requireAllZones(ctx, Permission.CONFIG_WRITE);
        ObjectNode body = body(ctx);
        if (!body.path("version").canConvertToLong()) throw ApiException.badRequest("version", "version must be a config version number");
        long n = body.get("version").asLong();
        String message = body.path("message").asText(null);
        create(ctx, p, () -> new Response(201, commitBody(cp.store().rollback(p.actor(), n, message), null, null)));
    }

    private void importConfig(Context ctx) {
        Principal p = requireAllZones(ctx, Permission.CONFIG_WRITE);
        String yaml = ctx.body();
        BulwarkConfig config;
        try {
            config = ConfigLoader.parse("body", yaml, null);
        } catch (ConfigException e) {
            List<FieldError> errors = new ArrayList<>();
            for (ConfigProblem pr : e.problems()) {
                String where = pr.line() > 0 ? " (line " + pr.line() + ")" : "";
                errors.add(new FieldError(pr.path() == null ? "" : pr.path(), pr.reason() + where));
            }
            throw new ApiException(422, "Validation failed", "the configuration file is not valid", errors);
        }
        create(ctx, p, () -> new Response(201, commitBody(cp.store().importConfig(p.actor(), config, ctx.queryParam("message")), null, null)));
    }

    // ---- audit

    private void listAudit(Context ctx) {
        Principal p = require(ctx, Permission.AUDIT_READ);
        String target = ctx.queryParam("target");
        if (!p.allZones() && (target == null || !target.startsWith("zone:") || !p.canSeeZone(target.substring(5)))) {
            throw new ApiException(403, "Forbidden", "a zone-scoped token may only read target=zone:<its zone>");
        }
        int limit = limit(ctx);
        long before = ctx.queryParam("cursor") == null ? Long.MAX_VALUE : longParam(ctx.queryParam("cursor"), "cursor");
        List<AuditEntry> rows = cp.audit().newest(target, before, limit + 1);
        List<AuditEntry> items = rows.subList(0, Math.min(limit, rows.size()));
        json(ctx, 200, page(items, rows.size() > limit ? Long.toString(items.get(items.size() - 1).id()) : null));
    }

    private void verifyAudit(Context ctx) {
        requireAllZones(ctx, Permission.AUDIT_READ);
        AuditChain.Verification v = cp.auditChain().verify();
        json(ctx, 200, v);
    }

    private void exportAudit(Context ctx) throws IOException {
        requireAllZones(ctx, Permission.AUDIT_READ);
        StringBuilder out = new StringBuilder();
        long after = 0;
        while (true) {
            List<AuditEntry> page = cp.audit().page(after, 500);
            for (AuditEntry e : page) out.append(write(e)).append('\n');
            if (page.size() < 500) break;
            after = page.get(page.size() - 1).id();
        }
        ctx.status(200).contentType("application/x-ndjson").result(out.toString());
    }

    // ---- analytics

    private void series(Context ctx) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ANALYTICS_READ, zone);
        String res = Optional.ofNullable(ctx.queryParam("resolution")).orElse("second");
        Analytics.Resolution r = switch (res) {
            case "second" -> Analytics.Resolution.SECOND;
            case "minute" -> Analytics.Resolution.MINUTE;
            default -> throw ApiException.badRequest("resolution", "resolution must be second or minute");
        };
        int window = ctx.queryParam("window") == null ? 60 : (int) Math.min(Integer.MAX_VALUE, longParam(ctx.queryParam("window"), "window"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zone", zone);
        m.put("resolution", res);
        m.put("totals_last_hour", cp.analytics().totals(zone, 60));
        List<Map<String, Object>> points = new ArrayList<>();
        for (Analytics.Point pt : cp.analytics().series(zone, r, window)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("start", pt.start());
            row.putAll(pt.values());
            points.add(row);
        }
        m.put("points", points);
        json(ctx, 200, m);
    }

    private void top(Context ctx) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ANALYTICS_READ, zone);
        int limit = ctx.queryParam("limit") == null ? 10 : limit(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zone", zone);
        List<TopDimension> dims;
        try {
            dims = ctx.queryParam("dimension") == null ? List.of(TopDimension.values()) : List.of(TopDimension.parse(ctx.queryParam("dimension")));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("dimension", e.getMessage());
        }
        for (TopDimension d : dims) m.put(d.wire(), cp.analytics().top(zone, d, limit));
        json(ctx, 200, m);
    }

    // ---- OpenAPI

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = ControlApi.class.getResourceAsStream("/openapi.json")) {
            if (in == null) throw new ApiException(500, "Internal error", "openapi.json is missing from the build");
            ctx.status(200).contentType(JSON_TYPE).result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    // ---- plumbing

    /** Runs a create, honouring {@code Idempotency-Key}: the same key and request replay the stored answer. */
    private void create(Context ctx, Principal p, Supplier<Response> action) {
        String key = ctx.header("Idempotency-Key");
        if (key == null) {
            Response r = action.get();
            json(ctx, r.status(), r.body());
            return;
        }
        if (key.isBlank() || key.length() > 200) throw ApiException.badRequest("Idempotency-Key", "must be 1 to 200 characters");
        String fingerprint = IdempotencyStore.fingerprint(ctx.method().name(), ctx.path(), ctx.body());
        Optional<IdempotencyStore.Stored> prior = idempotency.find(p.tokenId(), key);
        if (prior.isPresent()) {
            if (!prior.get().requestHash().equals(fingerprint)) {
                throw new ApiException(422, "Idempotency key reused", "this Idempotency-Key was used for a different request",
                        List.of(new FieldError("Idempotency-Key", "already used for a different request")));
            }
            ctx.header("Idempotent-Replayed", "true");
            ctx.status(prior.get().status()).contentType(JSON_TYPE).result(prior.get().body());
            return;
        }
        Response r = action.get();
        idempotency.save(p.tokenId(), key, fingerprint, r.status(), write(r.replayBody()));
        json(ctx, r.status(), r.body());
    }

    private static ObjectNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) throw ApiException.badRequest("", "a JSON object body is required");
        try {
            JsonNode n = JSON.readTree(text);
            if (!(n instanceof ObjectNode o)) throw ApiException.badRequest("", "the body must be a JSON object");
            return o;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("", "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static int limit(Context ctx) {
        String s = ctx.queryParam("limit");
        if (s == null) return DEFAULT_LIMIT;
        long n = longParam(s, "limit");
        if (n < 1 || n > MAX_LIMIT) throw ApiException.badRequest("limit", "limit must be 1.." + MAX_LIMIT);
        return (int) n;
    }

    private static long longParam(String s, String field) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field, field + " must be a whole number");
        }
    }

    private ZoneConfig zoneOrThrow(String id) {
        return cp.store().zone(id).orElseThrow(() -> StoreException.notFound("no zone '" + id + "'"));
    }

    private static ZoneConfig zoneIn(ConfigStore.Commit c, String id) {
        return c.config().zones().stream().filter(z -> z.id().equals(id)).findFirst()
                .orElseThrow(() -> StoreException.notFound("no zone '" + id + "'"));
    }

    private static Map<String, Object> commitBody(ConfigStore.Commit c, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", c.version());
        m.put("changed", c.changed());
        if (key != null) m.put(key, value);
        return m;
    }

    private static Map<String, Object> page(List<?> items, String next) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("next_cursor", next);
        return m;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON_TYPE).result(write(body));
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(ConfigLoader.mapper().valueToTree(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
