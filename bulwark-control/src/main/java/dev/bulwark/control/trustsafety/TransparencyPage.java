package dev.bulwark.control.trustsafety;

import java.time.Instant;
import java.util.Map;

/** The transparency report as a public HTML page. */
final class TransparencyPage {
    private TransparencyPage() {}

    static String render(TransparencyReport r) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Transparency report ").append(Html.esc(r.period())).append("</h1>")
                .append("<p class=\"note\">").append(Instant.ofEpochMilli(r.from())).append(" to ").append(Instant.ofEpochMilli(r.to()))
                .append(". Computed from our records when this page was requested.</p>");
        b.append("<h2>Reports received: ").append(r.reportsReceived()).append("</h2><table><tr><th>Category</th><th>Reports</th></tr>");
        for (Map.Entry<String, Integer> e : r.reportsByCategory().entrySet()) {
            Category c = Category.parse(e.getKey());
            b.append("<tr><td>").append(Html.esc(c == null ? e.getKey() : c.label())).append("</td><td>").append(e.getValue()).append("</td></tr>");
        }
        b.append("</table><h2>Actions taken: ").append(r.actionsTaken()).append("</h2><table><tr><th>Action</th><th>Count</th></tr>");
        for (Map.Entry<String, Integer> e : r.actionsByType().entrySet()) {
            b.append("<tr><td>").append(Html.esc(e.getKey().replace('_', ' '))).append("</td><td>").append(e.getValue()).append("</td></tr>");
        }
        b.append("</table><p>Sites affected: ").append(r.zonesAffected()).append(". Actions later reversed: ").append(r.actionsReversed()).append(".</p>");
        b.append("<p>Median time from a report of a threat to life to action: ")
                .append(r.medianMinutesThreatToAction() == null ? "no such actions in this period"
                        : r.medianMinutesThreatToAction() + " minutes (" + r.threatCasesMeasured() + " case(s))").append(".</p>");
        if (!r.statements().isEmpty()) {
            b.append("<h2>Standing statements</h2>");
            for (StandingStatement s : r.statements()) {
                b.append("<h3>").append(Html.esc(s.title())).append("</h3><p>").append(Html.esc(s.body()).replace("\n", "<br>")).append("</p>");
            }
        }
        b.append("<p class=\"note\">Audit log: ").append(r.auditEntries()).append(" entries; head hash <code>")
                .append(Html.esc(r.auditHead())).append("</code>.</p>");
        return Html.page("Transparency report " + r.period(), b.toString());
    }
}
