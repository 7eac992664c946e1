package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.config.ZoneConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static dev.bulwark.control.api.ApiSupport.*;

/** A zone's firewall and rate-limit rules. */
final class RuleRoutes {
    private final ControlPlane cp;
    private final Creates creates;
    private final SecureRandom random = new SecureRandom();

    RuleRoutes(ControlPlane cp, Creates creates) {
        this.cp = cp;
        this.creates = creates;
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

    private enum RuleKind {
        FIREWALL("firewall-rules", "firewall", "firewall rule"),
        RATE_LIMIT("rate-limit-rules", "rate_limits", "rate-limit rule");

        final String segment, section, noun;

        RuleKind(String segment, String section, String noun) {
            this.segment = segment;
            this.section = section;
            this.noun = noun;
        }

        List<?> rules(ZoneConfig z) { return this == FIREWALL ? z.firewall() : z.rateLimits(); }

        static String idOf(Object rule) {
            return rule instanceof FirewallRuleConfig f ? f.id() : ((RateLimitRuleConfig) rule).id();
        }
    }

    private void listRules(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ZONES_READ, zone);
        json(ctx, 200, page(kind.rules(zoneOrThrow(cp.store(), zone)), null));
    }

    private void getRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ZONES_READ, zone);
        json(ctx, 200, ruleOrThrow(zoneOrThrow(cp.store(), zone), kind, ctx.pathParam("rule")));
    }

    private void createRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        ObjectNode body = body(ctx);
        if (!body.hasNonNull("id")) body.put("id", "rule-" + HexFormat.of().formatHex(randomBytes(4)));
        String ruleId = body.get("id").asText();
        creates.run(ctx, p, () -> {
            ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, kind.section.replace("_", "-") + ".create",
                    Optional.ofNullable(ctx.queryParam("message")).orElse("add " + kind.noun + " " + ruleId + " to " + zone), z -> {
                        ArrayNode rules = rulesOf(z, kind);
                        if (indexOf(rules, ruleId) >= 0) throw StoreException.conflict(kind.noun + " '" + ruleId + "' already exists");
                        rules.add(body);
                        return kind.section + "[" + (rules.size() - 1) + "]";
                    });
            return new Creates.Response(201, commitBody(c, "rule", ruleOrThrow(zoneIn(c, zone), kind, ruleId)));
        });
    }

    private void replaceRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        String ruleId = ctx.pathParam("rule");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        ObjectNode body = body(ctx);
        body.put("id", ruleId);
        ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, kind.section.replace("_", "-") + ".update",
                Optional.ofNullable(ctx.queryParam("message")).orElse("update " + kind.noun + " " + ruleId + " of " + zone), z -> {
                    ArrayNode rules = rulesOf(z, kind);
                    int i = indexOf(rules, ruleId);
                    if (i < 0) throw StoreException.notFound("no " + kind.noun + " '" + ruleId + "' in zone '" + zone + "'");
                    rules.set(i, body);
                    return kind.section + "[" + i + "]";
                });
        json(ctx, 200, commitBody(c, "rule", ruleOrThrow(zoneIn(c, zone), kind, ruleId)));
    }

    private void deleteRule(Context ctx, RuleKind kind) {
        String zone = ctx.pathParam("zone");
        String ruleId = ctx.pathParam("rule");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, kind.section.replace("_", "-") + ".delete",
                Optional.ofNullable(ctx.queryParam("message")).orElse("delete " + kind.noun + " " + ruleId + " of " + zone), z -> {
                    ArrayNode rules = rulesOf(z, kind);
                    int i = indexOf(rules, ruleId);
                    if (i < 0) throw StoreException.notFound("no " + kind.noun + " '" + ruleId + "' in zone '" + zone + "'");
                    rules.remove(i);
                    return "";
                });
        json(ctx, 200, commitBody(c, null, null));
    }

    private static ArrayNode rulesOf(ObjectNode zone, RuleKind kind) {
        JsonNode n = zone.get(kind.section);
        return n instanceof ArrayNode a ? a : zone.putArray(kind.section);
    }

    private static int indexOf(ArrayNode arr, String id) {
        for (int i = 0; i < arr.size(); i++) if (id.equals(arr.get(i).path("id").asText(null))) return i;
        return -1;
    }

    private static Object ruleOrThrow(ZoneConfig z, RuleKind kind, String id) {
        for (Object r : kind.rules(z)) if (id.equals(RuleKind.idOf(r))) return r;
        throw StoreException.notFound("no " + kind.noun + " '" + id + "' in zone '" + z.id() + "'");
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
