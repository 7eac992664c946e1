package dev.bulwark.edge.proxy;

import io.netty.handler.codec.http.HttpResponse;

/** A step applied to every response head before it is sent to the client, from the origin or the edge. */
@FunctionalInterface
public interface ResponsePhase {
    void apply(RequestContext ctx, HttpResponse response);
}
