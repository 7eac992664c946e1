package dev.bulwark.server.admin;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;

/** {@code GET /metrics} in Prometheus text format and {@code GET /healthz}. */
public final class MetricsRoutes implements AdminRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private final PrometheusMeterRegistry registry;

    public MetricsRoutes(PrometheusMeterRegistry registry) { this.registry = registry; }

    @Override
    public void register(Javalin app) {
        app.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    }
}
