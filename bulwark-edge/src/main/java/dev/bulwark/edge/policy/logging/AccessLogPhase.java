package dev.bulwark.edge.policy.logging;

import dev.bulwark.core.observe.RequestAction;
import dev.bulwark.core.observe.RequestEvent;
import dev.bulwark.core.observe.TrafficRecorder;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.observe.AccessLogSink;
import dev.bulwark.edge.observe.EdgeMetrics;
import dev.bulwark.edge.observe.JsonLine;
import dev.bulwark.edge.proxy.LoggingPhase;
import dev.bulwark.edge.proxy.RequestContext;

import java.time.Instant;

/** Writes the access-log JSON line, records the request meters and reports the request to analytics; runs for every request. */
public final class AccessLogPhase implements LoggingPhase {
    private final EdgeServices services;
    private final EdgeMetrics metrics;

    public AccessLogPhase(EdgeServices services, EdgeMetrics metrics) {
        this.services = services;
        this.metrics = metrics;
    }

    @Override
    public void finished(RequestContext ctx) {
        long total = ctx.totalNanos();
        long upstream = ctx.upstreamNanos();
        metrics.request(ctx.zoneId(), ctx.status(), total, upstream);
        if (services.traffic() != TrafficRecorder.NONE) services.traffic().record(new RequestEvent(ctx.zoneId(), ctx.status(), ctx.bytesIn(), ctx.bytesOut(),
                analyticsAction(ctx.action()), ctx.clientAddress() == null ? null : ctx.clientAddress().getHostAddress(),
                ctx.path(), ctx.header("user-agent"), total, ctx.startMillis() + total / 1_000_000));
        if (!AccessLogSink.wants(services.accessLog())) return; // access_log: off
        String line = new JsonLine()
                .field("time", Instant.ofEpochMilli(ctx.startMillis()).toString())
                .field("request_id", ctx.requestId())
                .field("zone", ctx.zoneId())
                .field("client", ctx.clientAddress() == null ? null : ctx.clientAddress().getHostAddress())
                .field("method", ctx.method())
                .field("host", ctx.host())
                .field("path", ctx.path())
                .field("protocol", ctx.httpVersion())
                .field("tls", ctx.tls() ? 1 : 0)
                .field("status", ctx.status())
                .field("bytes_in", ctx.bytesIn())
                .field("bytes_out", ctx.bytesOut())
                .field("upstream_ms", upstream < 0 ? -1 : upstream / 1_000_000)
                .field("total_ms", total / 1_000_000)
                .field("action", ctx.action())
                .field("rule", ctx.rule())
                .field("logged", ctx.loggedRules().isEmpty() ? null : String.join(",", ctx.loggedRules()))
                .toString();
        services.accessLog().accept(line);
    }

    /** The access log's action names, folded into the actions analytics counts. */
    static RequestAction analyticsAction(String action) {
        if (action == null) return RequestAction.ALLOWED;
        return switch (action) {
            case "blocked" -> RequestAction.BLOCKED;
            case "challenged" -> RequestAction.CHALLENGED;
            case "rate_limited", "tarpitted", "rate_limited_closed" -> RequestAction.RATE_LIMITED;
            case "noticed" -> RequestAction.NOTICED;
            default -> RequestAction.ALLOWED;
        };
    }
}
