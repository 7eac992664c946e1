package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.auth.ApiToken;
import dev.bulwark.control.auth.IssuedToken;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.auth.Role;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.core.config.Durations;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.bulwark.control.api.ApiSupport.*;

/** API tokens: list, create (secret shown once), revoke. */
final class TokenRoutes {
    private final ControlPlane cp;
    private final Creates creates;

    TokenRoutes(ControlPlane cp, Creates creates) {
        this.cp = cp;
        this.creates = creates;
    }

    void register(Javalin app) {
        app.get("/api/v1/tokens", this::listTokens);
        app.post("/api/v1/tokens", this::createToken);
        app.delete("/api/v1/tokens/{token}", this::revokeToken);
    }

    // tokens

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
        creates.run(ctx, p, () -> {
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
            return new Creates.Response(201, shown, replay);
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
}
