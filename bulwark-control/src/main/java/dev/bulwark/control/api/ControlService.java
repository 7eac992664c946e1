package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.analytics.Analytics;
import dev.bulwark.control.analytics.TopDimension;
import dev.bulwark.control.audit.AuditChain;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.ConfigHistory;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.ConfigVersion;
import dev.bulwark.control.store.Page;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.observe.AttackRecord;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the control plane's operations do, as calls taking the caller's principal: each checks
 * the permission and zone ({@link Access}) and then reads or commits through the store. The
 * API's routes and the dashboard both call these, so a token can do exactly the same through
 * either, and is refused the same way.
 */
public final class ControlService {
    /** The diff between two versions, optionally of one zone. */
    public record Diff(long from, long to, List<ConfigHistory.Change> changes) {}

    private final ControlPlane cp;
    private final SecureRandom random = new SecureRandom();

    public ControlService(ControlPlane cp) { this.cp = cp; }

    public ControlPlane controlPlane() { return cp; }

    // ---- zones

    /** The zones the token may see, a page at a time. */
    public Page<ZoneConfig> zones(Principal p, int limit, String cursor) {
        Access.require(p, Permission.ZONES_READ);
        return cp.store().zones(limit, cursor, p.allZones() ? null : p.zones());
    }

    public ZoneConfig zone(Principal p, String id) {
        Access.requireZone(p, Permission.ZONES_READ, id);
        return ApiSupport.zoneOrThrow(cp.store(), id);
    }

    /** Switches the zone's "under attack" mode: every visitor without clearance is challenged. */
    public ConfigStore.Commit underAttack(Principal p, String zone, boolean on) {
        Access.requireZone(p, Permission.ZONES_WRITE, zone);
        return cp.store().editZone(p.actor(), zone, "zone.under-attack",
                (on ? "under attack mode on for " : "under attack mode off for ") + zone, z -> {
                    JsonNode ch = z.get("challenge");
                    ObjectNode challenge = ch instanceof ObjectNode o ? o : z.putObject("challenge");
                    challenge.put("under_attack", on);
                    return "challenge.under_attack";
                });
    }

    // ---- rules

    public List<?> rules(Principal p, RuleKind kind, String zone) {
        return kind.rules(zone(p, zone));
    }

    /** Adds a rule; {@code body.id} is filled in when absent. Returns the commit; the rule is {@link #ruleIn}. */
    public ConfigStore.Commit createRule(Principal p, RuleKind kind, String zone, ObjectNode body, String message) {
        Access.requireZone(p, Permission.ZONES_WRITE, zone);
        if (!body.hasNonNull("id")) body.put("id", "rule-" + HexFormat.of().formatHex(randomBytes(4)));
        String ruleId = body.get("id").asText();
        return cp.store().editZone(p.actor(), zone, kind.action() + ".create",
                Optional.ofNullable(message).orElse("add " + kind.noun + " " + ruleId + " to " + zone), z -> {
                    ArrayNode rules = rulesOf(z, kind);
                    if (indexOf(rules, ruleId) >= 0) throw StoreException.conflict(kind.noun + " '" + ruleId + "' already exists");
                    rules.add(body);
                    return kind.section + "[" + (rules.size() - 1) + "]";
                });
    }

    public ConfigStore.Commit replaceRule(Principal p, RuleKind kind, String zone, String ruleId, ObjectNode body, String message) {
        Access.requireZone(p, Permission.ZONES_WRITE, zone);
        body.put("id", ruleId);
        return cp.store().editZone(p.actor(), zone, kind.action() + ".update",
                Optional.ofNullable(message).orElse("update " + kind.noun + " " + ruleId + " of " + zone), z -> {
                    ArrayNode rules = rulesOf(z, kind);
                    int i = indexOf(rules, ruleId);
                    if (i < 0) throw StoreException.notFound("no " + kind.noun + " '" + ruleId + "' in zone '" + zone + "'");
                    rules.set(i, body);
                    return kind.section + "[" + i + "]";
                });
    }

    public ConfigStore.Commit deleteRule(Principal p, RuleKind kind, String zone, String ruleId, String message) {
        Access.requireZone(p, Permission.ZONES_WRITE, zone);
        return cp.store().editZone(p.actor(), zone, kind.action() + ".delete",
                Optional.ofNullable(message).orElse("delete " + kind.noun + " " + ruleId + " of " + zone), z -> {
                    ArrayNode rules = rulesOf(z, kind);
                    int i = indexOf(rules, ruleId);
                    if (i < 0) throw StoreException.notFound("no " + kind.noun + " '" + ruleId + "' in zone '" + zone + "'");
                    rules.remove(i);
                    return "";
                });
    }

    /** The rule {@code id} of {@code kind} in {@code z}, or a 404. */
    public static Object ruleIn(ZoneConfig z, RuleKind kind, String id) {
        for (Object r : kind.rules(z)) if (id.equals(RuleKind.idOf(r))) return r;
        throw StoreException.notFound("no " + kind.noun + " '" + id + "' in zone '" + z.id() + "'");
    }

    private static ArrayNode rulesOf(ObjectNode zone, RuleKind kind) {
        JsonNode n = zone.get(kind.section);
        return n instanceof ArrayNode a ? a : zone.putArray(kind.section);
    }

    private static int indexOf(ArrayNode arr, String id) {
        for (int i = 0; i < arr.size(); i++) if (id.equals(arr.get(i).path("id").asText(null))) return i;
        return -1;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    // ---- config versions

    public Page<ConfigVersion> versions(Principal p, int limit, String cursor) {
        Access.requireAllZones(p, Permission.CONFIG_READ);
        return cp.store().history().versions(limit, cursor);
    }

    /** Changes from {@code from} (default: the version before {@code to}) to {@code to} (default: the latest). */
    public Diff diff(Principal p, Long from, Long to, String zone) {
        Access.requireAllZones(p, Permission.CONFIG_READ);
        long t = to == null ? cp.store().latestVersion() : to;
        long f = from == null ? Math.max(0, t - 1) : from;
        List<ConfigHistory.Change> changes = cp.store().history().diff(f, t).stream()
                .filter(c -> zone == null || (c.kind().equals("zone") && c.name().equals(zone))).toList();
        return new Diff(f, t, changes);
    }

    /** Commits a new version whose content is version {@code number}'s. */
    public ConfigStore.Commit rollback(Principal p, long number, String message) {
        Access.requireAllZones(p, Permission.CONFIG_WRITE);
        return cp.store().rollback(p.actor(), number, message);
    }

    // ---- analytics

    public List<Analytics.Point> series(Principal p, String zone, Analytics.Resolution resolution, int window) {
        Access.requireZone(p, Permission.ANALYTICS_READ, zone);
        return cp.analytics().series(zone, resolution, window);
    }

    public Map<String, Long> totals(Principal p, String zone, int minutes) {
        Access.requireZone(p, Permission.ANALYTICS_READ, zone);
        return cp.analytics().totals(zone, minutes);
    }

    public List<Analytics.TopEntry> top(Principal p, String zone, TopDimension dimension, int limit) {
        Access.requireZone(p, Permission.ANALYTICS_READ, zone);
        return cp.analytics().top(zone, dimension, limit);
    }

    // ---- attack events

    /** Attack events newest first: of {@code zone}, or (null) of every zone the token reaches. */
    public Page<AttackRecord> attacks(Principal p, String zone, int limit, String cursor) {
        if (zone == null) {
            Access.require(p, Permission.ANALYTICS_READ);
            return cp.attacks().list(null, p.allZones() ? null : p.zones(), limit, cursor);
        }
        Access.requireZone(p, Permission.ANALYTICS_READ, zone);
        return cp.attacks().list(zone, null, limit, cursor);
    }

    // ---- audit

    public AuditChain.Verification verifyAudit(Principal p) {
        Access.requireAllZones(p, Permission.AUDIT_READ);
        return cp.auditChain().verify();
    }
}
