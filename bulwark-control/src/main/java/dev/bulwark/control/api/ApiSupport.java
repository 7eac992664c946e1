package dev.bulwark.control.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.ConfigDocuments;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.TlsKeys;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ZoneConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every route group shares: the caller's principal and the permission and scope checks,
 * request parsing with field-named errors, and JSON responses in the config file's shape
 * (values pass through the config mapper, so a zone reads exactly as in YAML).
 */
final class ApiSupport {
    static final String JSON_TYPE = "application/json";
    static final String PRINCIPAL = "bulwark.principal";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private ApiSupport() {}

    static Principal principal(Context ctx) { return ctx.attribute(PRINCIPAL); }

    static Principal require(Context ctx, Permission permission) { return Access.require(principal(ctx), permission); }

    static Principal requireZone(Context ctx, Permission permission, String zone) {
        return Access.requireZone(principal(ctx), permission, zone);
    }

    static Principal requireAllZones(Context ctx, Permission permission) {
        return Access.requireAllZones(principal(ctx), permission);
    }

    static ObjectNode body(Context ctx) {
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

    static int limit(Context ctx) {
        String s = ctx.queryParam("limit");
        if (s == null) return DEFAULT_LIMIT;
        long n = longParam(s, "limit");
        if (n < 1 || n > MAX_LIMIT) throw ApiException.badRequest("limit", "limit must be 1.." + MAX_LIMIT);
        return (int) n;
    }

    static long longParam(String s, String field) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field, field + " must be a whole number");
        }
    }

    static ZoneConfig zoneOrThrow(ConfigStore store, String id) {
        return store.zone(id).orElseThrow(() -> StoreException.notFound("no zone '" + id + "'"));
    }

    /** The zone as committed (from the commit's snapshot, not a second read). */
    static ZoneConfig zoneIn(ConfigStore.Commit c, String id) {
        return c.config().zones().stream().filter(z -> z.id().equals(id)).findFirst()
                .orElseThrow(() -> StoreException.notFound("no zone '" + id + "'"));
    }

    /**
     * A zone as the API shows it: the stored document, and for a certificate its subject, validity
     * and public-key fingerprint under {@code tls.certificate} (read-only; the key itself is never shown).
     */
    static JsonNode zoneView(ZoneConfig z) {
        JsonNode tree = ConfigDocuments.toTree(z);
        if (z.tls() != null && z.tls().certPem() != null && tree.get("tls") instanceof ObjectNode tls) {
            tls.set("certificate", ConfigDocuments.toTree(TlsKeys.describe(z.tls().certPem())));
        }
        return tree;
    }

    /** Drops what {@link #zoneView} adds, so a zone read from the API can be written back as it is. */
    static ObjectNode withoutViewFields(ObjectNode zone) {
        if (zone.get("tls") instanceof ObjectNode tls) tls.remove("certificate");
        return zone;
    }

    static Map<String, Object> commitBody(ConfigStore.Commit c, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", c.version());
        m.put("changed", c.changed());
        if (key != null) m.put(key, value);
        return m;
    }

    static Map<String, Object> page(List<?> items, String next) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("next_cursor", next);
        return m;
    }

    static void json(Context ctx, int status, Object body) {
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
