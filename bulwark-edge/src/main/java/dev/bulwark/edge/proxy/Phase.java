package dev.bulwark.edge.proxy;

/**
 * One step of the request path. A phase reads and writes the {@link RequestContext} and
 * either lets the request go on ({@link Result#CONTINUE}) or has answered it itself
 * ({@link Result#ANSWERED}, after calling {@link RequestContext#answer}).
 */
@FunctionalInterface
public interface Phase {
    enum Result { CONTINUE, ANSWERED }

    Result run(RequestContext ctx);
}
