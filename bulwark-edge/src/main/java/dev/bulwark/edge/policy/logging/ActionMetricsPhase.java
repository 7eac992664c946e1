package dev.bulwark.edge.policy.logging;

import dev.bulwark.edge.proxy.LoggingPhase;
import dev.bulwark.edge.proxy.RequestContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what the policies did, per zone: {@code bulwark_requests_mitigated_total{zone,action}}
 * for every request the edge did not simply let through (blocked, rate_limited, tarpitted,
 * rate_limited_closed, challenged). Counters are created once per (zone, action) and looked up
 * without allocating.
 */
public final class ActionMetricsPhase implements LoggingPhase {
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> byZone = new ConcurrentHashMap<>();

    public ActionMetricsPhase(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void finished(RequestContext ctx) {
        String action = ctx.action();
        if (action == null || "allowed".equals(action) || "challenge_endpoint".equals(action)) return;
        String zone = ctx.zoneId() == null ? "-" : ctx.zoneId();
        ConcurrentHashMap<String, Counter> actions = byZone.get(zone); // plain reads first: computeIfAbsent costs more on a hit
        if (actions == null) actions = byZone.computeIfAbsent(zone, z -> new ConcurrentHashMap<>());
        Counter c = actions.get(action);
        if (c == null) c = actions.computeIfAbsent(action, a -> Counter.builder("bulwark.requests.mitigated")
                .description("Requests the edge refused, delayed or challenged instead of forwarding")
                .tag("zone", zone).tag("action", a).register(registry));
        c.increment();
    }
}
