package dev.bulwark.control.api;

import dev.bulwark.control.store.Page;
import dev.bulwark.core.observe.AttackRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;

import static dev.bulwark.control.api.ApiSupport.*;

/** Attack events the edge detected: per zone, and across the zones the token reaches. Newest first, paginated. */
final class AttackRoutes {
    private final ControlService service;

    AttackRoutes(ControlService service) { this.service = service; }

    void register(Javalin app) {
        app.get("/api/v1/attacks", ctx -> respond(ctx, service.attacks(principal(ctx), null, limit(ctx), ctx.queryParam("cursor"))));
        app.get("/api/v1/zones/{zone}/attacks", ctx -> respond(ctx,
                service.attacks(principal(ctx), ctx.pathParam("zone"), limit(ctx), ctx.queryParam("cursor"))));
    }

    private static void respond(Context ctx, Page<AttackRecord> page) {
        json(ctx, 200, page(page.items().stream().map(AttackRecord::toJson).toList(), page.nextCursor()));
    }
}
