package dev.bulwark.control.web;

import dev.bulwark.control.api.ControlService;
import dev.bulwark.control.audit.AuditChain;
import dev.bulwark.control.auth.Principal;
import io.javalin.Javalin;
import io.javalin.http.Context;

import static dev.bulwark.control.web.Layout.e;

/** The audit chain's status: the same verification as {@code GET /api/v1/audit/verify}, run on demand. */
final class AuditPages {
    private final Dashboard d;
    private final ControlService service;

    AuditPages(Dashboard d, ControlService service) {
        this.d = d;
        this.service = service;
    }

    void register(Javalin app) {
        d.get(app, "/dashboard/audit", (ctx, p, s) -> Dashboard.html(ctx, 200, Layout.page("Audit", "audit", p, s,
                "<div class=\"page-head\"><h1>Audit log</h1><p class=\"muted\">Every change is an entry chained to the one before by its hash; "
                        + "verifying walks the chain from the first entry and names the first one altered or missing.</p></div>"
                        + "<section class=\"card\"><div class=\"section-head\"><h2>Chain status</h2>"
                        + "<button hx-get=\"/dashboard/audit/verify\" hx-target=\"#verify\">Verify again</button></div>"
                        + "<div id=\"verify\">" + verify(p) + "</div></section>")));
        d.get(app, "/dashboard/audit/verify", this::verifyFragment);
    }

    private void verifyFragment(Context ctx, Principal p, Sessions.Session s) {
        Dashboard.html(ctx, 200, verify(p));
    }

    private String verify(Principal p) {
        AuditChain.Verification v = service.verifyAudit(p);
        if (v.intact()) {
            return "<div class=\"alert ok\" data-intact=\"true\"><strong>Intact.</strong> " + v.entriesChecked()
                    + " entries checked; last hash <code>" + e(v.lastHash()) + "</code> (published in the transparency report).</div>";
        }
        return "<div class=\"alert error\" data-intact=\"false\"><strong>Altered.</strong> " + e(v.reason()) + " (first altered entry: "
                + v.firstAlteredId() + "; " + v.entriesChecked() + " entries verified before it).</div>";
    }
}
