package dev.bulwark.control.web;

import dev.bulwark.control.api.Access;
import dev.bulwark.control.api.ControlService;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.core.observe.AttackRecord;

import java.util.List;

import static dev.bulwark.control.web.Layout.e;

/**
 * The zone page's attack events: what the edge's attack detection saw (start, end, peak against
 * the usual rate, signature, the mitigation applied), newest first, read through
 * {@link ControlService#attacks} as {@code GET /api/v1/zones/{zone}/attacks} reads them.
 */
final class AttackPanel {
    private static final int SHOWN = 10;

    private final ControlService service;

    AttackPanel(ControlService service) { this.service = service; }

    String render(Principal p, String zone) {
        StringBuilder b = new StringBuilder("<div class=\"section-head\"><h2>Attack events</h2><span class=\"muted small\">detected by the edge, newest first</span></div>");
        if (!Access.mayZone(p, Permission.ANALYTICS_READ, zone)) {
            return b.append("<p class=\"muted\">This token cannot read the zone's attack events (analytics:read).</p>").toString();
        }
        List<AttackRecord> events = service.attacks(p, zone, SHOWN, null).items();
        if (events.isEmpty()) return b.append("<p class=\"muted\" data-attacks=\"0\">No attack detected on this zone.</p>").toString();
        b.append("<table data-attacks=\"").append(events.size()).append("\"><thead><tr><th>Started</th><th>Ended</th>")
                .append("<th class=\"num\">Peak req/s</th><th class=\"num\">Usual</th><th>Signature</th><th>Action</th></tr></thead><tbody>");
        for (AttackRecord a : events) {
            b.append("<tr data-attack=\"").append(e(a.id())).append("\"><td class=\"nowrap\">").append(Layout.time(a.startMillis()))
                    .append("</td><td class=\"nowrap\">").append(a.ongoing() ? "<span class=\"badge danger\">ongoing</span>" : Layout.time(a.endMillis()))
                    .append("</td><td class=\"num\">").append(Layout.rate(a.peakRate())).append("</td><td class=\"num\">")
                    .append(Layout.rate(a.baselineRate())).append("</td><td><code>").append(e(a.signature())).append("</code></td><td>")
                    .append("<span class=\"badge act-").append(e(a.action())).append("\">").append(e(a.action())).append("</span></td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }
}
