package dev.bulwark.control.api;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.audit.AuditChain;
import dev.bulwark.control.audit.AuditEntry;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.List;

import static dev.bulwark.control.api.ApiSupport.*;

/** The audit log: list, verify the chain, export. */
final class AuditRoutes {
    private final ControlPlane cp;
    private final Creates creates;
    private final ControlService service;

    AuditRoutes(ControlPlane cp, Creates creates) {
        this.cp = cp;
        this.creates = creates;
        this.service = new ControlService(cp);
    }

    void register(Javalin app) {
        app.get("/api/v1/audit", this::listAudit);
        app.get("/api/v1/audit/verify", this::verifyAudit);
        app.get("/api/v1/audit/export", this::exportAudit);
    }

    // audit

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
        AuditChain.Verification v = service.verifyAudit(principal(ctx));
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
}
