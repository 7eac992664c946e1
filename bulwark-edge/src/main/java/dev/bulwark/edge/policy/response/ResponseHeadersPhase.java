package dev.bulwark.edge.policy.response;

import dev.bulwark.edge.observe.RequestIds;
import dev.bulwark.edge.proxy.ForwardHeaders;
import dev.bulwark.edge.proxy.RequestContext;
import dev.bulwark.edge.proxy.ResponsePhase;
import io.netty.handler.codec.http.HttpResponse;

/** Every response carries the request id and this hop in Via, whoever produced it. */
public final class ResponseHeadersPhase implements ResponsePhase {
    @Override
    public void apply(RequestContext ctx, HttpResponse response) {
        response.headers().set(RequestIds.HEADER_NAME, ctx.requestId());
        ForwardHeaders.addVia(response.headers(), ctx.httpVersion());
    }
}
