package dev.bulwark.control.api;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.analytics.Analytics;
import dev.bulwark.control.analytics.TopDimension;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.core.observe.AttackRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.bulwark.control.api.ApiSupport.*;

/** A zone's traffic: time series (with the attack events of the window) and heavy hitters. */
final class AnalyticsRoutes {
    private final ControlPlane cp;
    private final Creates creates;
    private final ControlService service;

    AnalyticsRoutes(ControlPlane cp, Creates creates) {
        this.cp = cp;
        this.creates = creates;
        this.service = new ControlService(cp);
    }

    void register(Javalin app) {
        app.get("/api/v1/zones/{zone}/analytics", this::series);
        app.get("/api/v1/zones/{zone}/analytics/top", this::top);
    }

    // analytics

    private void series(Context ctx) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ANALYTICS_READ, zone);
        String res = Optional.ofNullable(ctx.queryParam("resolution")).orElse("second");
        Analytics.Resolution r = switch (res) {
            case "second" -> Analytics.Resolution.SECOND;
            case "minute" -> Analytics.Resolution.MINUTE;
            default -> throw ApiException.badRequest("resolution", "resolution must be second or minute");
        };
        int window = ctx.queryParam("window") == null ? 60 : (int) Math.min(Integer.MAX_VALUE, longParam(ctx.queryParam("window"), "window"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zone", zone);
        m.put("resolution", res);
        m.put("totals_last_hour", service.totals(principal(ctx), zone, 60));
        List<Map<String, Object>> points = new ArrayList<>();
        for (Analytics.Point pt : service.series(principal(ctx), zone, r, window)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("start", pt.start());
            row.putAll(pt.values());
            points.add(row);
        }
        m.put("points", points);
        // attack events going on during the window (the store keeps them longer: GET .../attacks)
        long from = cp.clock().currentTimeMillis() - (long) window * (r == Analytics.Resolution.SECOND ? 1000 : 60_000);
        m.put("attacks", cp.attacks().since(zone, from, 100).stream().map(AttackRecord::toJson).toList());
        json(ctx, 200, m);
    }

    private void top(Context ctx) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ANALYTICS_READ, zone);
        int limit = ctx.queryParam("limit") == null ? 10 : limit(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zone", zone);
        List<TopDimension> dims;
        try {
            dims = ctx.queryParam("dimension") == null ? List.of(TopDimension.values()) : List.of(TopDimension.parse(ctx.queryParam("dimension")));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("dimension", e.getMessage());
        }
        for (TopDimension d : dims) m.put(d.wire(), service.top(principal(ctx), zone, d, limit));
        json(ctx, 200, m);
    }
}
