package dev.bulwark.edge.observe;

import java.util.function.Consumer;

/**
 * An access-log destination that can say it currently discards everything, so the edge skips
 * formatting the JSON line (a timestamp and a dozen fields per request) for nobody.
 */
public interface AccessLogSink extends Consumer<String> {
    /** Whether lines passed to {@link #accept} go anywhere right now. */
    boolean enabled();

    /** Whether {@code sink} wants lines: a plain Consumer always does. */
    static boolean wants(Consumer<String> sink) {
        return !(sink instanceof AccessLogSink s) || s.enabled();
    }
}
