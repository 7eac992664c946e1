package dev.bulwark.control.api;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.Page;
import dev.bulwark.core.observe.AttackRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;

import static dev.bulwark.control.api.ApiSupport.*;

/** Attack events the edge detected: per zone, and across the zones the token reaches. Newest first, paginated. */
final class AttackRoutes {
    private final ControlPlane cp;

    AttackRoutes(ControlPlane cp) { this.cp = cp; }

    void register(Javalin app) {
        app.get("/api/v1/attacks", this::all);
        app.get("/api/v1/zones/{zone}/attacks", this::ofZone);
    }

    private void all(Context ctx) {
        Principal p = require(ctx, Permission.ANALYTICS_READ);
        respond(ctx, cp.attacks().list(null, p.allZones() ? null : p.zones(), limit(ctx), ctx.queryParam("cursor")));
    }

    private void ofZone(Context ctx) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ANALYTICS_READ, zone);
        respond(ctx, cp.attacks().list(zone, null, limit(ctx), ctx.queryParam("cursor")));
    }

    private static void respond(Context ctx, Page<AttackRecord> page) {
        json(ctx, 200, page(page.items().stream().map(AttackRecord::toJson).toList(), page.nextCursor()));
    }
}
