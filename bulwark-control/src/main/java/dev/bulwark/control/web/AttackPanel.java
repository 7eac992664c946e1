package dev.bulwark.control.web;

import dev.bulwark.control.auth.Principal;

/**
 * The zone page's place for attack events (what the edge's attack detection saw: start, end,
 * kind, peak rate, the mitigation applied). The events come from
 * {@code GET /api/v1/zones/{zone}/attacks}, which another branch adds; until that service is on
 * this branch the panel says so instead of showing an empty list that would look like "no attacks".
 * Wiring it: read the events through the same service layer as the route, with {@code p}.
 */
final class AttackPanel {
    String render(Principal p, String zone) {
        return "<div class=\"section-head\"><h2>Attack events</h2></div>"
                + "<p class=\"muted\" data-attacks=\"unavailable\">Attack events are not recorded by this control plane yet "
                + "(they will come from <code>GET /api/v1/zones/{zone}/attacks</code>). The live chart above shows blocked and "
                + "challenged traffic in the meantime.</p>";
    }
}
