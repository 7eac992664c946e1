package dev.bulwark.server.admin;

import dev.bulwark.core.ddos.AttackEvent;
import dev.bulwark.core.observe.AttackRecord;
import dev.bulwark.edge.policy.EdgePolicies;
import io.javalin.Javalin;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /-/attacks[?zone=ID]}: the ongoing and recent attack events of this node's edge,
 * newest first, straight from the detectors (so it works with {@code serve --config} alone, no
 * store). Each event has the same JSON shape as in the control-plane API
 * ({@link AttackRecord#toJson()}); the store keeps them longer ({@code GET /api/v1/attacks}).
 */
public final class LiveAttackRoutes implements AdminRoutes {
    private final EdgePolicies policies;

    public LiveAttackRoutes(EdgePolicies policies) { this.policies = policies; }

    @Override
    public void register(Javalin app) {
        app.get("/-/attacks", ctx -> {
            String zone = ctx.queryParam("zone");
            List<Map<String, Object>> items = policies.attackEvents().entrySet().stream()
                    .filter(e -> zone == null || e.getKey().equals(zone))
                    .flatMap(e -> e.getValue().stream())
                    .sorted(Comparator.comparingLong(AttackEvent::startMillis).reversed())
                    .map(e -> e.record().toJson())
                    .toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", items);
            body.put("next_cursor", null);
            ctx.json(body);
        });
    }
}
