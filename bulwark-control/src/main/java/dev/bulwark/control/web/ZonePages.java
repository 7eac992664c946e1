package dev.bulwark.control.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.analytics.Analytics;
import dev.bulwark.control.analytics.TopDimension;
import dev.bulwark.control.api.Access;
import dev.bulwark.control.api.ApiException;
import dev.bulwark.control.api.ControlService;
import dev.bulwark.control.api.RuleKind;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.ConfigVersion;
import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.control.trustsafety.Html;
import dev.bulwark.core.config.EnforcementConfig;
import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.ZoneConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.bulwark.control.web.Layout.e;

/**
 * Zones: the overview, and a zone's page with its live traffic, heavy hitters, attack events,
 * firewall rules (add, remove), under-attack switch and config versions (diff, rollback).
 * Every read and change goes through {@link ControlService} with the signed-in principal.
 */
final class ZonePages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RULE_FIELDS = List.of("id", "description", "expression", "action", "mode");
    private static final String[] ACTIONS = {"block", "challenge", "allow", "skip", "log"};
    private static final int CHART_SECONDS = 120;
    /** htmx events a change sends (HX-Trigger) so the other sections of the page re-read what it changed. */
    private static final String VERSIONS_CHANGED = "versions-changed", ZONE_RELOADED = "zone-reloaded";

    private final Dashboard d;
    private final ControlService service;
    private final AttackPanel attacks;

    ZonePages(Dashboard d, ControlService service, AttackPanel attacks) {
        this.d = d;
        this.service = service;
        this.attacks = attacks;
    }

    void register(Javalin app) {
        d.get(app, "/dashboard", this::overview);
        d.get(app, "/dashboard/zones", (ctx, p, s) -> Dashboard.html(ctx, 200, zonesTable(p)));
        d.get(app, "/dashboard/zones/{zone}", this::zonePage);
        d.get(app, "/dashboard/zones/{zone}/summary", (ctx, p, s) -> Dashboard.html(ctx, 200, tiles(p, ctx.pathParam("zone"))));
        d.get(app, "/dashboard/zones/{zone}/traffic", this::traffic);
        d.get(app, "/dashboard/zones/{zone}/top", (ctx, p, s) -> Dashboard.html(ctx, 200, top(p, ctx.pathParam("zone"))));
        d.get(app, "/dashboard/zones/{zone}/under-attack", (ctx, p, s) -> Dashboard.html(ctx, 200, underAttackSwitch(p, service.zone(p, ctx.pathParam("zone")), null)));
        d.post(app, "/dashboard/zones/{zone}/under-attack", this::underAttack);
        d.get(app, "/dashboard/zones/{zone}/rules", (ctx, p, s) -> Dashboard.html(ctx, 200, rules(p, service.zone(p, ctx.pathParam("zone")), null, List.of(), Map.of())));
        d.post(app, "/dashboard/zones/{zone}/rules", this::addRule);
        d.delete(app, "/dashboard/zones/{zone}/rules/{rule}", this::removeRule);
        d.get(app, "/dashboard/zones/{zone}/versions", (ctx, p, s) -> Dashboard.html(ctx, 200, versions(p, ctx.pathParam("zone"), null)));
        d.get(app, "/dashboard/zones/{zone}/diff", this::diff);
        d.post(app, "/dashboard/zones/{zone}/rollback", this::rollback);
    }

    // ---- overview

    private void overview(Context ctx, Principal p, Sessions.Session s) {
        String body = "<div class=\"page-head\"><h1>Zones</h1><p class=\"muted\">Every zone this token reaches. Traffic figures refresh every 5 s.</p></div>"
                + zonesTable(p);
        Dashboard.html(ctx, 200, Layout.page("Zones", "zones", p, s, body));
    }

    private String zonesTable(Principal p) {
        List<ZoneConfig> zones = service.zones(p, 500, null).items();
        StringBuilder b = new StringBuilder("<div id=\"zones\" class=\"card\" hx-get=\"/dashboard/zones\" hx-trigger=\"every 5s\" hx-swap=\"outerHTML\">");
        if (zones.isEmpty()) return b.append("<p class=\"muted\">No zones yet. Add one with <code>bulwark zone add</code> or the API.</p></div>").toString();
        b.append("<table class=\"zones\"><thead><tr><th>Zone</th><th>Hostnames</th><th>Status</th><th>Under attack</th>"
                + "<th class=\"num\">Requests/s</th><th class=\"num\" title=\"blocked, rate-limited or answered with an enforcement notice, last hour\">Blocked (1 h)</th></tr></thead><tbody>");
        for (ZoneConfig z : zones) {
            Stats st = stats(p, z.id());
            b.append("<tr data-zone=\"").append(e(z.id())).append("\"><td><a href=\"/dashboard/zones/").append(e(Html.pathSegment(z.id()))).append("\">")
                    .append(e(z.id())).append("</a></td><td class=\"hosts\">").append(hosts(z)).append("</td><td>").append(statusBadge(z))
                    .append("</td><td>").append(underAttack(z) ? "<span class=\"badge danger\">on</span>" : "<span class=\"badge quiet\">off</span>")
                    .append("</td><td class=\"num\">").append(st == null ? "–" : Layout.rate(st.perSecond()))
                    .append("</td><td class=\"num\">").append(st == null ? "–" : Layout.percent(st.refused(), st.requests())).append("</td></tr>");
        }
        return b.append("</tbody></table></div>").toString();
    }

    // ---- the zone page

    private void zonePage(Context ctx, Principal p, Sessions.Session s) {
        String zone = ctx.pathParam("zone");
        ZoneConfig z = service.zone(p, zone);
        String u = "/dashboard/zones/" + e(Html.pathSegment(zone));
        String body = "<p class=\"crumbs\"><a href=\"/dashboard\">Zones</a> / " + e(zone) + "</p>"
                + "<div class=\"page-head zone-head\"><div><h1>" + e(zone) + "</h1><p class=\"muted hosts\">" + hosts(z) + "</p></div>"
                + "<div class=\"head-side\">" + statusBadge(z) + "<div hx-get=\"" + u + "/under-attack\" hx-trigger=\"" + ZONE_RELOADED
                + " from:body\" hx-swap=\"innerHTML\">" + underAttackSwitch(p, z, null) + "</div></div></div>"
                + tiles(p, zone)
                + "<section class=\"card\"><div class=\"section-head\"><h2>Live traffic</h2><span class=\"muted small\">last "
                + CHART_SECONDS / 60 + " minutes, per second, refreshed every 2 s</span></div>"
                + "<div class=\"charts\" data-traffic=\"" + u + "/traffic\">"
                + "<figure><figcaption>Responses by status class</figcaption><div class=\"chart\" id=\"chart-status\" data-series=\"status_2xx,status_3xx,status_4xx,status_5xx\"></div></figure>"
                + "<figure><figcaption>Actions taken by the edge</figcaption><div class=\"chart\" id=\"chart-actions\" data-series=\"allowed,blocked,challenged,rate_limited,noticed\"></div></figure>"
                + "</div></section>"
                + "<section class=\"card\" id=\"top\" hx-get=\"" + u + "/top\" hx-trigger=\"load, every 5s\" hx-swap=\"innerHTML\">" + top(p, zone) + "</section>"
                + "<section class=\"card attacks\" id=\"attacks\">" + attacks.render(p, zone) + "</section>"
                + rules(p, z, null, List.of(), Map.of())
                + "<section class=\"card\" id=\"versions\" hx-get=\"" + u + "/versions\" hx-trigger=\"" + VERSIONS_CHANGED
                + " from:body\" hx-swap=\"innerHTML\">" + versions(p, zone, null) + "</section>";
        Dashboard.html(ctx, 200, Layout.page(zone, "zones", p, s, body));
    }

    private String tiles(Principal p, String zone) {
        Stats st = stats(p, zone);
        String u = "/dashboard/zones/" + e(Html.pathSegment(zone)) + "/summary";
        StringBuilder b = new StringBuilder("<div class=\"tiles\" id=\"tiles\" hx-get=\"" + u + "\" hx-trigger=\"every 3s\" hx-swap=\"outerHTML\">");
        if (st == null) return b.append("<p class=\"muted\">This token cannot read the zone's analytics (analytics:read).</p></div>").toString();
        tile(b, "Requests/s", Layout.rate(st.perSecond()), "last 10 s", "rps");
        tile(b, "Requests", Long.toString(st.requests()), "last hour", "requests");
        tile(b, "Blocked", Layout.percent(st.refused(), st.requests()), st.refused() + " blocked, rate-limited or noticed", "blocked");
        tile(b, "Challenged", Layout.percent(st.challenged(), st.requests()), st.challenged() + " in the last hour", "challenged");
        tile(b, "Errors (5xx)", Layout.percent(st.errors(), st.requests()), st.errors() + " in the last hour", "errors");
        return b.append("</div>").toString();
    }

    private static void tile(StringBuilder b, String label, String value, String note, String key) {
        b.append("<div class=\"tile\" data-tile=\"").append(key).append("\"><div class=\"label\">").append(label)
                .append("</div><div class=\"value\">").append(e(value)).append("</div><div class=\"note\">").append(e(note)).append("</div></div>");
    }

    /** The chart's data: per-second buckets, columns by counter name (uPlot's layout). */
    private void traffic(Context ctx, Principal p, Sessions.Session s) {
        List<Analytics.Point> points = service.series(p, ctx.pathParam("zone"), Analytics.Resolution.SECOND, CHART_SECONDS);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode t = out.putArray("t");
        for (Analytics.Point pt : points) {
            t.add(pt.start() / 1000);
            for (Map.Entry<String, Long> v : pt.values().entrySet()) {
                ArrayNode col = out.has(v.getKey()) ? (ArrayNode) out.get(v.getKey()) : out.putArray(v.getKey());
                col.add(v.getValue());
            }
        }
        ctx.status(200).contentType("application/json").result(out.toString());
    }

    private String top(Principal p, String zone) {
        StringBuilder b = new StringBuilder("<div class=\"section-head\"><h2>Top talkers</h2><span class=\"muted small\">last hour, estimated</span></div><div class=\"tops\">");
        try {
            topList(b, "Client addresses", service.top(p, zone, TopDimension.CLIENTS, 8), "clients");
            topList(b, "Paths", service.top(p, zone, TopDimension.PATHS, 8), "paths");
            topList(b, "User agents", service.top(p, zone, TopDimension.USER_AGENTS, 8), "user_agents");
        } catch (ApiException ex) {
            return Layout.alert("info", ex.getMessage());
        }
        return b.append("</div>").toString();
    }

    private static void topList(StringBuilder b, String title, List<Analytics.TopEntry> entries, String key) {
        b.append("<div class=\"top\" data-top=\"").append(key).append("\"><h3>").append(title).append("</h3>");
        if (entries.isEmpty()) {
            b.append("<p class=\"muted small\">No traffic yet.</p></div>");
            return;
        }
        long max = entries.get(0).count();
        b.append("<ol>");
        for (Analytics.TopEntry en : entries) {
            long width = max == 0 ? 0 : Math.max(1, Math.round(100.0 * en.count() / max));
            b.append("<li><span class=\"bar w").append(width / 5 * 5).append("\"></span><span class=\"key\" title=\"").append(e(en.key())).append("\">")
                    .append(e(en.key())).append("</span><span class=\"count\">").append(en.count()).append("</span></li>");
        }
        b.append("</ol></div>");
    }

    // ---- under attack

    private String underAttackSwitch(Principal p, ZoneConfig z, String notice) {
        boolean on = underAttack(z);
        boolean canWrite = Access.mayZone(p, Permission.ZONES_WRITE, z.id());
        return "<form id=\"under-attack\" class=\"switch\" hx-post=\"/dashboard/zones/" + e(Html.pathSegment(z.id())) + "/under-attack\" hx-target=\"this\" hx-swap=\"outerHTML\">"
                + "<input type=\"hidden\" name=\"enabled\" value=\"" + !on + "\">"
                + "<span class=\"badge " + (on ? "danger" : "quiet") + "\" data-under-attack=\"" + on + "\">Under attack: " + (on ? "on" : "off") + "</span>"
                + "<button type=\"submit\"" + (canWrite ? "" : " disabled title=\"this token cannot change the zone (zones:write)\"") + ">"
                + (on ? "Turn off" : "Turn on") + "</button>" + (notice == null ? "" : "<span class=\"notice small\">" + e(notice) + "</span>") + "</form>";
    }

    private void underAttack(Context ctx, Principal p, Sessions.Session s) {
        String zone = ctx.pathParam("zone");
        String enabled = ctx.formParam("enabled");
        if (!"true".equals(enabled) && !"false".equals(enabled)) throw ApiException.badRequest("enabled", "enabled must be true or false");
        ConfigStore.Commit c = service.underAttack(p, zone, Boolean.parseBoolean(enabled));
        ZoneConfig z = c.config().zones().stream().filter(x -> x.id().equals(zone)).findFirst().orElseThrow();
        ctx.header("HX-Trigger", VERSIONS_CHANGED);
        Dashboard.html(ctx, 200, underAttackSwitch(p, z, "version " + c.version()));
    }

    // ---- firewall rules

    private String rules(Principal p, ZoneConfig z, String notice, List<FieldError> errors, Map<String, String> values) {
        boolean canWrite = Access.mayZone(p, Permission.ZONES_WRITE, z.id());
        String u = "/dashboard/zones/" + e(Html.pathSegment(z.id()));
        StringBuilder b = new StringBuilder("<section class=\"card\" id=\"rules\" hx-get=\"" + u + "/rules\" hx-trigger=\"" + ZONE_RELOADED
                + " from:body\" hx-swap=\"outerHTML\"><div class=\"section-head\"><h2>Firewall rules</h2>"
                + "<span class=\"muted small\">evaluated in order; see docs/rules.md for the language</span></div>");
        if (notice != null) b.append("<div class=\"alert ok\" role=\"status\">").append(e(notice)).append("</div>");
        if (z.firewall().isEmpty()) b.append("<p class=\"muted\">No firewall rules.</p>");
        else {
            b.append("<table class=\"rules\"><thead><tr><th>ID</th><th>Expression</th><th>Action</th><th>Mode</th><th></th></tr></thead><tbody>");
            for (FirewallRuleConfig r : z.firewall()) {
                b.append("<tr data-rule=\"").append(e(r.id())).append("\"><td><code>").append(e(r.id())).append("</code>")
                        .append(r.description() == null ? "" : "<div class=\"muted small\">" + e(r.description()) + "</div>")
                        .append("</td><td><code class=\"expr\">").append(e(r.expression())).append("</code></td><td><span class=\"badge act-")
                        .append(r.action().name().toLowerCase(Locale.ROOT)).append("\">").append(r.action().name().toLowerCase(Locale.ROOT))
                        .append("</span></td><td>").append(r.mode().name().toLowerCase(Locale.ROOT)).append("</td><td class=\"right\">");
                if (canWrite) {
                    b.append("<button class=\"danger small\" hx-delete=\"").append(u).append("/rules/").append(e(Html.pathSegment(r.id())))
                            .append("\" hx-target=\"#rules\" hx-swap=\"outerHTML\" hx-confirm=\"Remove rule ").append(e(r.id())).append("?\">Remove</button>");
                }
                b.append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        if (!z.rateLimits().isEmpty()) b.append("<p class=\"muted small\">").append(z.rateLimits().size()).append(" rate-limit rule(s), managed through the API.</p>");
        if (!canWrite) return b.append("<p class=\"muted small\">This token cannot change the zone's rules (zones:write).</p></section>").toString();
        String action = values.getOrDefault("action", "block");
        String mode = values.getOrDefault("mode", "enforce");
        b.append("<form class=\"rule-form\" hx-post=\"").append(u).append("/rules\" hx-target=\"#rules\" hx-swap=\"outerHTML\"><h3>Add a rule</h3>")
                .append("<div class=\"field wide\"><label for=\"rule-expression\">Expression</label><input id=\"rule-expression\" name=\"expression\" spellcheck=\"false\" required ")
                .append("placeholder='http.request.uri.path eq \"/admin\"' value=\"").append(e(values.get("expression"))).append("\">")
                .append(Layout.fieldErrors(errors, "expression")).append("</div>")
                .append("<div class=\"field\"><label for=\"rule-action\">Action</label><select id=\"rule-action\" name=\"action\">");
        for (String a : ACTIONS) b.append("<option").append(a.equals(action) ? " selected" : "").append(">").append(a).append("</option>");
        b.append("</select>").append(Layout.fieldErrors(errors, "action")).append("</div>")
                .append("<div class=\"field\"><label for=\"rule-mode\">Mode</label><select id=\"rule-mode\" name=\"mode\">")
                .append("<option").append(mode.equals("enforce") ? " selected" : "").append(">enforce</option>")
                .append("<option").append(mode.equals("log") ? " selected" : "").append(">log</option></select>")
                .append(Layout.fieldErrors(errors, "mode")).append("</div>")
                .append("<div class=\"field\"><label for=\"rule-id\">ID <span class=\"muted\">(optional)</span></label><input id=\"rule-id\" name=\"id\" value=\"")
                .append(e(values.get("id"))).append("\">").append(Layout.fieldErrors(errors, "id")).append("</div>")
                .append("<div class=\"field wide\"><label for=\"rule-description\">Description <span class=\"muted\">(optional)</span></label><input id=\"rule-description\" name=\"description\" value=\"")
                .append(e(values.get("description"))).append("\">").append(Layout.fieldErrors(errors, "description")).append("</div>")
                .append("<div class=\"form-errors\">").append(Layout.otherErrors(errors, RULE_FIELDS)).append("</div>")
                .append("<div class=\"actions\"><button type=\"submit\" class=\"primary\">Add rule</button></div></form>");
        return b.append("</section>").toString();
    }

    private void addRule(Context ctx, Principal p, Sessions.Session s) {
        String zone = ctx.pathParam("zone");
        ObjectNode body = JSON.createObjectNode();
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String f : RULE_FIELDS) {
            String v = ctx.formParam(f);
            if (v != null && !v.isBlank()) {
                body.put(f, v.trim());
                values.put(f, v);
            }
        }
        try {
            ConfigStore.Commit c = service.createRule(p, RuleKind.FIREWALL, zone, body, null);
            ctx.header("HX-Trigger", VERSIONS_CHANGED);
            Dashboard.html(ctx, 201, rules(p, zoneIn(c, zone), "Rule " + body.get("id").asText() + " added as config version " + c.version()
                    + "; the edge applies it within a second.", List.of(), Map.of()));
        } catch (StoreException ex) {
            ApiException a = ApiException.from(ex);
            if (a.status() == 404) throw ex;
            List<FieldError> errors = a.errors().isEmpty() ? List.of(new FieldError(a.status() == 409 ? "id" : "", a.getMessage())) : a.errors();
            Dashboard.html(ctx, a.status(), rules(p, service.zone(p, zone), null, errors, values));
        } catch (ApiException ex) {
            if (ex.status() != 400) throw ex;
            Dashboard.html(ctx, 400, rules(p, service.zone(p, zone), null, ex.errors(), values));
        }
    }

    private void removeRule(Context ctx, Principal p, Sessions.Session s) {
        String zone = ctx.pathParam("zone");
        String rule = ctx.pathParam("rule");
        ConfigStore.Commit c = service.deleteRule(p, RuleKind.FIREWALL, zone, rule, null);
        ctx.header("HX-Trigger", VERSIONS_CHANGED);
        Dashboard.html(ctx, 200, rules(p, zoneIn(c, zone), "Rule " + rule + " removed as config version " + c.version() + ".", List.of(), Map.of()));
    }

    // ---- config versions

    private String versions(Principal p, String zone, String notice) {
        String u = "/dashboard/zones/" + e(Html.pathSegment(zone));
        StringBuilder b = new StringBuilder("<div class=\"section-head\"><h2>Config versions</h2><span class=\"muted small\">every change is a version; "
                + "a rollback commits a new one</span></div>");
        List<ConfigVersion> items;
        try {
            items = service.versions(p, 10, null).items();
        } catch (ApiException ex) {
            return b.append(Layout.alert("info", "Config versions need a token with config:read scoped to every zone (" + ex.getMessage() + ").")).toString();
        }
        if (notice != null) b.append("<div class=\"alert ok\" role=\"status\">").append(e(notice)).append("</div>");
        boolean canRollback = Access.mayAllZones(p, Permission.CONFIG_WRITE);
        b.append("<table class=\"versions\"><thead><tr><th>#</th><th>When</th><th>Author</th><th>Message</th><th></th></tr></thead><tbody>");
        long latest = items.isEmpty() ? 0 : items.get(0).number();
        for (ConfigVersion v : items) {
            b.append("<tr data-version=\"").append(v.number()).append("\"><td>").append(v.number()).append("</td><td class=\"nowrap\">")
                    .append(Layout.time(v.createdAt())).append("</td><td>").append(e(v.author())).append("</td><td>").append(e(v.message()))
                    .append("</td><td class=\"right nowrap\"><button class=\"small\" hx-get=\"").append(u).append("/diff?to=").append(v.number())
                    .append("\" hx-target=\"#diff\">Diff</button>");
            if (canRollback && v.number() != latest) {
                b.append(" <button class=\"small\" hx-post=\"").append(u).append("/rollback\" hx-vals='{\"version\":\"").append(v.number())
                        .append("\"}' hx-target=\"#versions\" hx-confirm=\"Roll back to version ").append(v.number())
                        .append("? A new version with its content is committed and published.\">Roll back</button>");
            }
            b.append("</td></tr>");
        }
        return b.append("</tbody></table><div id=\"diff\"></div>").toString();
    }

    private void diff(Context ctx, Principal p, Sessions.Session s) {
        String zone = ctx.pathParam("zone");
        Long to = ctx.queryParam("to") == null ? null : longParam(ctx.queryParam("to"), "to");
        ControlService.Diff diff = service.diff(p, null, to, zone);
        StringBuilder b = new StringBuilder("<div class=\"diff-head\"><h3>Version ").append(diff.from()).append(" → ").append(diff.to())
                .append(" for zone ").append(e(zone)).append("</h3></div>");
        if (diff.changes().isEmpty()) b.append("<p class=\"muted\">This version did not change the zone.</p>");
        for (var c : diff.changes()) {
            b.append("<pre class=\"diff\">");
            for (String line : c.diff().split("\n", -1)) {
                String cls = line.startsWith("+++") || line.startsWith("---") ? "file" : line.startsWith("@@") ? "hunk"
                        : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx";
                b.append("<span class=\"").append(cls).append("\">").append(e(line)).append("</span>\n");
            }
            b.append("</pre>");
        }
        Dashboard.html(ctx, 200, b.toString());
    }

    private void rollback(Context ctx, Principal p, Sessions.Session s) {
        String zone = ctx.pathParam("zone");
        long n = longParam(ctx.formParam("version"), "version");
        ConfigStore.Commit c = service.rollback(p, n, "rollback to version " + n + " (dashboard)");
        ctx.header("HX-Trigger", ZONE_RELOADED);
        Dashboard.html(ctx, 200, versions(p, zone, c.changed() ? "Version " + c.version() + " now holds version " + n + "'s configuration."
                : "Version " + n + " is what the store already holds; nothing changed."));
    }

    // ---- helpers

    /** Traffic figures of a zone, or null when the token cannot read its analytics. */
    private Stats stats(Principal p, String zone) {
        if (!Access.mayZone(p, Permission.ANALYTICS_READ, zone)) return null;
        List<Analytics.Point> seconds = service.series(p, zone, Analytics.Resolution.SECOND, 11);
        long recent = 0;
        for (int i = 0; i < seconds.size() - 1; i++) recent += seconds.get(i).values().get("requests"); // the current second is still filling
        Map<String, Long> t = service.totals(p, zone, 60);
        return new Stats(recent / 10.0, t.get("requests"), t.get("blocked") + t.get("rate_limited") + t.get("noticed"),
                t.get("challenged"), t.get("status_5xx"));
    }

    private record Stats(double perSecond, long requests, long refused, long challenged, long errors) {}

    private static ZoneConfig zoneIn(ConfigStore.Commit c, String zone) {
        return c.config().zones().stream().filter(z -> z.id().equals(zone)).findFirst()
                .orElseThrow(() -> StoreException.notFound("no zone '" + zone + "'"));
    }

    static boolean underAttack(ZoneConfig z) { return z.challenge() != null && Boolean.TRUE.equals(z.challenge().underAttack()); }

    static String statusBadge(ZoneConfig z) {
        EnforcementConfig.Status st = z.enforcement() == null || z.enforcement().status() == null ? EnforcementConfig.Status.ACTIVE : z.enforcement().status();
        String name = st.name().toLowerCase(Locale.ROOT);
        String cls = switch (st) {
            case ACTIVE -> "ok";
            case WARNED -> "warn";
            case RESTRICTED -> "warn";
            case TERMINATED -> "danger";
        };
        return "<span class=\"badge " + cls + "\" data-status=\"" + name + "\">" + name + "</span>";
    }

    private static String hosts(ZoneConfig z) {
        List<String> h = z.hostnames();
        String shown = String.join(", ", h.subList(0, Math.min(3, h.size())));
        return e(shown) + (h.size() > 3 ? " <span class=\"muted\">+" + (h.size() - 3) + "</span>" : "");
    }

    private static long longParam(String s, String field) {
        try {
            return Long.parseLong(s == null ? "" : s.trim());
        } catch (NumberFormatException ex) {
            throw ApiException.badRequest(field, field + " must be a whole number");
        }
    }
}
