package dev.bulwark.control.web;

import dev.bulwark.control.api.ApiException;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.trustsafety.AbuseReport;
import dev.bulwark.control.trustsafety.EnforcementAction;
import dev.bulwark.control.trustsafety.EscalationAlert;
import dev.bulwark.control.trustsafety.Html;
import dev.bulwark.control.trustsafety.TriageQueue;
import dev.bulwark.control.trustsafety.TrustSafety;
import dev.bulwark.control.trustsafety.TwoPersonRule;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.List;
import java.util.Locale;

import static dev.bulwark.control.web.Layout.e;

/**
 * Trust and safety: the triage queue by severity, escalation alerts, and enforcement actions
 * with approve/reject for proposals. Reads and decisions go through {@link TrustSafety} with the
 * signed-in principal, so the role check and the two-person rule are the server's own
 * ({@link TwoPersonRule}): the proposer's approval is refused here exactly as over the API.
 */
final class TrustSafetyPages {
    private static final int SHOWN_REPORTS = 3;

    private final Dashboard d;
    private final TrustSafety ts;

    TrustSafetyPages(Dashboard d, TrustSafety ts) {
        this.d = d;
        this.ts = ts;
    }

    void register(Javalin app) {
        d.get(app, "/dashboard/trust-safety", this::page);
        d.post(app, "/dashboard/enforcement/{id}/approve", (ctx, p, s) -> decide(ctx, p, true));
        d.post(app, "/dashboard/enforcement/{id}/reject", (ctx, p, s) -> decide(ctx, p, false));
    }

    private void page(Context ctx, Principal p, Sessions.Session s) {
        String body = "<div class=\"page-head\"><h1>Trust &amp; safety</h1><p class=\"muted\">Abuse reports waiting for a decision, "
                + "zones whose reports are rising, and enforcement actions. A termination applies only once a second operator approves it.</p></div>";
        if (!TwoPersonRule.mayAct(p)) {
            body += Layout.alert("info", "Operator '" + p.operatorName() + "' has role " + p.role().name().toLowerCase(Locale.ROOT)
                    + "; trust-and-safety work needs the trust_safety role (or owner or admin).");
        } else {
            body += "<div class=\"grid2\"><section class=\"card\" id=\"queue\">" + queue(p) + "</section>"
                    + "<section class=\"card\" id=\"alerts\">" + alerts(p) + "</section></div>"
                    + "<section class=\"card\" id=\"enforcement\">" + enforcement(p, null, null) + "</section>";
        }
        Dashboard.html(ctx, 200, Layout.page("Trust & safety", "ts", p, s, body));
    }

    private String queue(Principal p) {
        List<TriageQueue.Group> groups = ts.queue(p);
        StringBuilder b = new StringBuilder("<div class=\"section-head\"><h2>Triage queue</h2><span class=\"muted small\">")
                .append(groups.size()).append(" open, most severe first</span></div>");
        if (groups.isEmpty()) return b.append("<p class=\"muted\">No open reports.</p>").toString();
        b.append("<ol class=\"queue\">");
        for (TriageQueue.Group g : groups) {
            b.append("<li class=\"sev-").append(g.severest().rank() <= 2 ? "critical" : g.severest().rank() <= 4 ? "high" : "normal").append("\">")
                    .append("<div class=\"q-head\"><span class=\"badge sev\">").append(e(g.severest().label())).append("</span>")
                    .append("<span class=\"muted small\">").append(g.reports().size()).append(" report(s) · zone ").append(e(g.zoneId()))
                    .append(" · oldest ").append(Layout.time(g.oldest())).append("</span></div>")
                    .append("<div class=\"q-url\"><code>").append(e(g.url())).append("</code></div><ul class=\"q-reports\">");
            for (AbuseReport r : g.reports().subList(0, Math.min(SHOWN_REPORTS, g.reports().size()))) {
                b.append("<li><code class=\"small\">").append(e(r.id())).append("</code> ").append(e(r.category().wire())).append(": ")
                        .append(e(abbreviate(r.description(), 240))).append("</li>");
            }
            if (g.reports().size() > SHOWN_REPORTS) b.append("<li class=\"muted small\">and ").append(g.reports().size() - SHOWN_REPORTS).append(" more</li>");
            b.append("</ul></li>");
        }
        return b.append("</ol>").toString();
    }

    private String alerts(Principal p) {
        List<EscalationAlert> alerts = ts.alerts(p, null, 20);
        StringBuilder b = new StringBuilder("<div class=\"section-head\"><h2>Escalation alerts</h2></div>");
        if (alerts.isEmpty()) return b.append("<p class=\"muted\">No zone's reports are rising above its usual level.</p>").toString();
        b.append("<table><thead><tr><th>Zone</th><th>Window</th><th class=\"num\">Reports</th><th>Trend</th><th>Raised</th></tr></thead><tbody>");
        for (EscalationAlert a : alerts) {
            b.append("<tr title=\"").append(e(a.summary())).append("\"><td>").append(e(a.zoneId())).append("</td><td>").append(e(a.window()))
                    .append("</td><td class=\"num\">").append(a.reports()).append("</td><td><span class=\"badge ")
                    .append("rising".equals(a.trend()) ? "danger" : "quiet").append("\">").append(e(a.trend())).append("</span></td><td class=\"nowrap\">")
                    .append(Layout.time(a.raisedAt())).append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private String enforcement(Principal p, String notice, String error) {
        List<EnforcementAction> actions = ts.actions(p, null, 50);
        StringBuilder b = new StringBuilder("<div class=\"section-head\"><h2>Enforcement</h2></div>");
        if (notice != null) b.append("<div class=\"alert ok\" role=\"status\">").append(e(notice)).append("</div>");
        if (error != null) b.append(Layout.alert("error", error));
        List<EnforcementAction> proposed = actions.stream().filter(a -> a.status() == EnforcementAction.Status.PROPOSED).toList();
        b.append("<h3>Waiting for a second operator</h3>");
        if (proposed.isEmpty()) b.append("<p class=\"muted\">No proposals.</p>");
        for (EnforcementAction a : proposed) {
            boolean own = a.proposedById().equals(p.operatorId());
            b.append("<div class=\"proposal\" data-action=\"").append(e(a.id())).append("\"><div><span class=\"badge danger\">")
                    .append(e(a.type().wire())).append("</span> zone <strong>").append(e(a.zoneId())).append("</strong>")
                    .append("<p>").append(e(a.reason())).append("</p><p class=\"muted small\">proposed by ").append(e(a.proposedBy()))
                    .append(" at ").append(Layout.time(a.proposedAt())).append(" · rests on ").append(a.reportIds().size()).append(" report(s)")
                    .append(a.statementUrl() == null ? "" : " · statement <code>" + e(a.statementUrl()) + "</code>").append("</p>")
                    .append(own ? "<p class=\"muted small\">You proposed this; another operator must approve it.</p>" : "")
                    .append("</div><div class=\"proposal-actions\">")
                    .append("<button class=\"primary\" hx-post=\"/dashboard/enforcement/").append(e(Html.pathSegment(a.id())))
                    .append("/approve\" hx-target=\"#enforcement\" hx-confirm=\"Approve: ").append(e(a.type().wire())).append(" zone ").append(e(a.zoneId()))
                    .append("?\">Approve</button> <button hx-post=\"/dashboard/enforcement/").append(e(Html.pathSegment(a.id())))
                    .append("/reject\" hx-target=\"#enforcement\">").append(own ? "Withdraw" : "Reject").append("</button></div></div>");
        }
        List<EnforcementAction> decided = actions.stream().filter(a -> a.status() != EnforcementAction.Status.PROPOSED).toList();
        b.append("<h3>Recent decisions</h3>");
        if (decided.isEmpty()) return b.append("<p class=\"muted\">None yet.</p>").toString();
        b.append("<table><thead><tr><th>Action</th><th>Zone</th><th>Status</th><th>Reason</th><th>Decided by</th></tr></thead><tbody>");
        for (EnforcementAction a : decided) {
            b.append("<tr><td>").append(e(a.type().wire())).append("</td><td>").append(e(a.zoneId())).append("</td><td><span class=\"badge ")
                    .append(a.status() == EnforcementAction.Status.APPLIED ? "danger" : "quiet").append("\">").append(e(a.status().wire()))
                    .append("</span></td><td>").append(e(abbreviate(a.reason(), 160))).append("</td><td>")
                    .append(e(a.approvedBy() == null ? a.proposedBy() : a.approvedBy())).append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private void decide(Context ctx, Principal p, boolean approve) {
        String id = ctx.pathParam("id");
        try {
            EnforcementAction a = approve ? ts.approve(p, id) : ts.reject(p, id);
            Dashboard.html(ctx, 200, enforcement(p, (approve ? "Approved: " : "Rejected: ") + a.type().wire() + " zone " + a.zoneId()
                    + (approve ? " now applies at the edge." : "."), null));
        } catch (ApiException ex) {
            // the server's refusal (e.g. the two-person rule) shown where the decision was taken
            Dashboard.html(ctx, ex.status(), enforcement(p, null, ex.getMessage()));
        }
    }

    private static String abbreviate(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
