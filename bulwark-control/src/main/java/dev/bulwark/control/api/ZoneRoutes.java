package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.Page;
import dev.bulwark.core.config.ZoneConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;

import static dev.bulwark.control.api.ApiSupport.*;

/** Zones: list, create, show, replace, delete. */
final class ZoneRoutes {
    private final ControlPlane cp;
    private final Creates creates;
    private final ControlService service;

    ZoneRoutes(ControlPlane cp, Creates creates) {
        this.cp = cp;
        this.creates = creates;
        this.service = new ControlService(cp);
    }

    void register(Javalin app) {
        app.get("/api/v1/zones", this::listZones);
        app.post("/api/v1/zones", this::createZone);
        app.get("/api/v1/zones/{zone}", this::getZone);
        app.put("/api/v1/zones/{zone}", this::replaceZone);
        app.delete("/api/v1/zones/{zone}", this::deleteZone);
        app.put("/api/v1/zones/{zone}/under-attack", this::underAttack);
    }

    // zones

    private void listZones(Context ctx) {
        Page<ZoneConfig> page = service.zones(principal(ctx), limit(ctx), ctx.queryParam("cursor"));
        json(ctx, 200, page(page.items().stream().map(ApiSupport::zoneView).toList(), page.nextCursor()));
    }

    /** Switches the zone's "under attack" mode: every visitor without clearance is challenged. Body {"enabled": bool}. */
    private void underAttack(Context ctx) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ZONES_WRITE, zone);
        JsonNode enabled = body(ctx).get("enabled");
        if (enabled == null || !enabled.isBoolean()) throw ApiException.badRequest("enabled", "enabled must be true or false");
        ConfigStore.Commit c = service.underAttack(principal(ctx), zone, enabled.booleanValue());
        json(ctx, 200, commitBody(c, "under_attack", zoneIn(c, zone).challenge().underAttack()));
    }

    private void getZone(Context ctx) {
        json(ctx, 200, zoneView(service.zone(principal(ctx), ctx.pathParam("zone"))));
    }

    private void createZone(Context ctx) {
        ObjectNode body = withoutViewFields(body(ctx));
        JsonNode id = body.get("id");
        if (id == null || !id.isTextual()) throw ApiException.badRequest("id", "id is required");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, id.asText());
        creates.run(ctx, p, () -> {
            ConfigStore.Commit c = cp.store().createZone(p.actor(), body, ctx.queryParam("message"));
            return new Creates.Response(201, commitBody(c, "zone", zoneView(zoneIn(c, id.asText()))));
        });
    }

    private void replaceZone(Context ctx) {
        String id = ctx.pathParam("zone");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, id);
        ObjectNode body = withoutViewFields(body(ctx));
        JsonNode bodyId = body.get("id");
        if (bodyId != null && !bodyId.asText().equals(id)) throw ApiException.badRequest("id", "id must match the zone in the path ('" + id + "')");
        ConfigStore.Commit c = cp.store().replaceZone(p.actor(), id, body, ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, "zone", zoneView(zoneIn(c, id))));
    }

    private void deleteZone(Context ctx) {
        String id = ctx.pathParam("zone");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, id);
        ConfigStore.Commit c = cp.store().deleteZone(p.actor(), id, ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, null, null));
    }
}
