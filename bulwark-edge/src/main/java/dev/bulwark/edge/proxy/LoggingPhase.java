package dev.bulwark.edge.proxy;

/** The last step, run exactly once per request however it ended (forwarded, answered, failed, aborted). */
@FunctionalInterface
public interface LoggingPhase {
    void finished(RequestContext ctx);
}
