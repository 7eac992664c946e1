package dev.bulwark.edge.policy.limits;

import dev.bulwark.core.config.ZoneLimits;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The zone's request limits: a declared body larger than max_body_bytes is refused with 413
 * (a streamed body that grows past it is cut by the upstream step); over
 * max_concurrent_requests in flight the request gets 503 instead of queueing.
 */
public final class ZoneLimitsPhase implements Phase {
    @Override
    public Result run(RequestContext ctx) {
        ZoneLimits limits = ctx.zone().config().limits();
        if (limits.maxBodyBytes() > 0) {
            String cl = ctx.request().headers().get(HttpHeaderNames.CONTENT_LENGTH);
            if (cl != null && declaredLength(cl) > limits.maxBodyBytes()) {
                return ctx.answer(413, "blocked", "max_body_bytes", null);
            }
        }
        int max = limits.maxConcurrentRequests();
        if (max > 0) {
            AtomicInteger inFlight = ctx.zone().inFlight();
            if (inFlight.incrementAndGet() > max) {
                inFlight.decrementAndGet();
                return ctx.answer(503, "blocked", "max_concurrent_requests",
                        "This site is receiving more requests than it accepts at once. Please try again shortly.");
            }
            ctx.onFinish(inFlight::decrementAndGet);
        }
        return Result.CONTINUE;
    }

    private static long declaredLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // the HTTP/1 decoder refuses these; an HTTP/2 request could still carry one
        }
    }
}
