package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.ConfigStore;
import io.javalin.Javalin;
import io.javalin.http.Context;

import static dev.bulwark.control.api.ApiSupport.*;

/** A zone's firewall and rate-limit rules. */
final class RuleRoutes {
    private final Creates creates;
    private final ControlService service;

    RuleRoutes(ControlPlane cp, Creates creates) {
        this.creates = creates;
        this.service = new ControlService(cp);
    }

    void register(Javalin app) {
        for (RuleKind kind : RuleKind.values()) {
            String base = "/api/v1/zones/{zone}/" + kind.segment;
            app.get(base, ctx -> listRules(ctx, kind));
            app.post(base, ctx -> createRule(ctx, kind));
            app.get(base + "/{rule}", ctx -> getRule(ctx, kind));
            app.put(base + "/{rule}", ctx -> replaceRule(ctx, kind));
            app.delete(base + "/{rule}", ctx -> deleteRule(ctx, kind));
        }
    }

    // rules

    private void listRules(Context ctx, RuleKind kind) {
        json(ctx, 200, page(service.rules(principal(ctx), kind, ctx.pathParam("zone")), null));
    }

    private void getRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        json(ctx, 200, ControlService.ruleIn(service.zone(principal(ctx), zone), kind, ctx.pathParam("rule")));
    }

    private void createRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone); // before an idempotent replay, too
        ObjectNode body = body(ctx);
        creates.run(ctx, p, () -> {
            ConfigStore.Commit c = service.createRule(p, kind, zone, body, ctx.queryParam("message"));
            return new Creates.Response(201, commitBody(c, "rule", ControlService.ruleIn(zoneIn(c, zone), kind, body.get("id").asText())));
        });
    }

    private void replaceRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        String ruleId = ctx.pathParam("rule");
        requireZone(ctx, Permission.ZONES_WRITE, zone); // before reading the body
        ConfigStore.Commit c = service.replaceRule(principal(ctx), kind, zone, ruleId, body(ctx), ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, "rule", ControlService.ruleIn(zoneIn(c, zone), kind, ruleId)));
    }

    private void deleteRule(Context ctx, RuleKind kind) {
        ConfigStore.Commit c = service.deleteRule(principal(ctx), kind, ctx.pathParam("zone"), ctx.pathParam("rule"), ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, null, null));
    }
}
