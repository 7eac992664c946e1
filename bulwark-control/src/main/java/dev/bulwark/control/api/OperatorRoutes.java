package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.auth.Operator;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.auth.Role;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.bulwark.control.api.ApiSupport.*;

/** Operators (the people behind tokens): list, and add with a role. Owners and admins only. */
final class OperatorRoutes {
    private final ControlPlane cp;
    private final Creates creates;

    OperatorRoutes(ControlPlane cp, Creates creates) {
        this.cp = cp;
        this.creates = creates;
    }

    void register(Javalin app) {
        app.get("/api/v1/operators", this::list);
        app.post("/api/v1/operators", this::create);
    }

    private void list(Context ctx) {
        requireAdmin(ctx);
        List<Map<String, Object>> items = cp.tokens().operators().stream().map(OperatorRoutes::view).toList();
        json(ctx, 200, page(items, null));
    }

    private void create(Context ctx) {
        Principal p = requireAdmin(ctx);
        ObjectNode body = body(ctx);
        Role role;
        try {
            role = Role.parse(body.path("role").asText(null));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("role", "role must be owner, admin, trust_safety or viewer");
        }
        String id = body.path("id").asText(null);
        creates.run(ctx, p, () -> {
            try {
                cp.tokens().createOperator(p, id, body.path("account").asText(null), body.path("name").asText(null), role);
            } catch (IllegalArgumentException e) {
                String msg = e.getMessage();
                int colon = msg.indexOf(':');
                throw ApiException.badRequest(colon > 0 ? msg.substring(0, colon) : "", colon > 0 ? msg.substring(colon + 1).trim() : msg);
            } catch (SecurityException e) {
                throw new ApiException(403, "Forbidden", e.getMessage());
            }
            Operator o = cp.tokens().operators().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            return new Creates.Response(201, view(o));
        });
    }

    private static Principal requireAdmin(Context ctx) {
        Principal p = requireAllZones(ctx, Permission.TOKENS_WRITE);
        if (p.role() != Role.OWNER && p.role() != Role.ADMIN) throw new ApiException(403, "Forbidden", "only owners and admins manage operators");
        return p;
    }

    private static Map<String, Object> view(Operator o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id());
        m.put("account", o.accountId());
        m.put("name", o.name());
        m.put("role", o.role().name().toLowerCase(java.util.Locale.ROOT));
        m.put("created_at", o.createdAt());
        return m;
    }
}
