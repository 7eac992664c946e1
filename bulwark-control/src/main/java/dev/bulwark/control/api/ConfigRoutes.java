package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.ConfigVersion;
import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.Page;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ConfigProblem;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.bulwark.control.api.ApiSupport.*;

/** Config versions: list, show, diff, rollback, import a YAML file. */
final class ConfigRoutes {
    private final ControlPlane cp;
    private final Creates creates;
    private final ControlService service;

    ConfigRoutes(ControlPlane cp, Creates creates) {
        this.cp = cp;
        this.creates = creates;
        this.service = new ControlService(cp);
    }

    void register(Javalin app) {
        app.get("/api/v1/config/versions", this::listVersions);
        app.get("/api/v1/config/versions/{number}", this::getVersion);
        app.get("/api/v1/config/diff", this::diff);
        app.post("/api/v1/config/rollback", this::rollback);
        app.post("/api/v1/config/import", this::importConfig);
    }

    // config versions

    private void listVersions(Context ctx) {
        Page<ConfigVersion> page = service.versions(principal(ctx), limit(ctx), ctx.queryParam("cursor"));
        json(ctx, 200, page(page.items(), page.nextCursor()));
    }

    private void getVersion(Context ctx) {
        requireAllZones(ctx, Permission.CONFIG_READ);
        long n = longParam(ctx.pathParam("number"), "number");
        ConfigVersion v = cp.store().history().version(n).orElseThrow(() -> StoreException.notFound("no config version " + n));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", v.number());
        m.put("author", v.author());
        m.put("created_at", v.createdAt());
        m.put("message", v.message());
        m.put("document", cp.store().history().versionDocument(n).orElseThrow());
        json(ctx, 200, m);
    }

    private void diff(Context ctx) {
        requireAllZones(ctx, Permission.CONFIG_READ);
        Long to = ctx.queryParam("to") == null ? null : longParam(ctx.queryParam("to"), "to");
        Long from = ctx.queryParam("from") == null ? null : longParam(ctx.queryParam("from"), "from");
        ControlService.Diff d = service.diff(principal(ctx), from, to, ctx.queryParam("zone"));
        json(ctx, 200, Map.of("from", d.from(), "to", d.to(), "changes", d.changes()));
    }

    private void rollback(Context ctx) {
        Principal p = requireAllZones(ctx, Permission.CONFIG_WRITE);
        ObjectNode body = body(ctx);
        if (!body.path("version").canConvertToLong()) throw ApiException.badRequest("version", "version must be a config version number");
        long n = body.get("version").asLong();
        String message = body.path("message").asText(null);
        creates.run(ctx, p, () -> new Creates.Response(201, commitBody(service.rollback(p, n, message), null, null)));
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
        creates.run(ctx, p, () -> new Creates.Response(201, commitBody(cp.store().importConfig(p.actor(), config, ctx.queryParam("message")), null, null)));
    }
}
