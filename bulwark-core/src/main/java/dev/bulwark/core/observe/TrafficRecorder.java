package dev.bulwark.core.observe;

/**
 * Where the edge reports every finished request, once. Implementations must not block and
 * must not allocate in proportion to traffic: the edge calls this on its event loop. The
 * control plane's analytics implements it with fixed-size ring buffers and sketches.
 */
@FunctionalInterface
public interface TrafficRecorder {
    void record(RequestEvent event);

    /** Records nothing; the default when analytics is off. */
    TrafficRecorder NONE = event -> { };
}
