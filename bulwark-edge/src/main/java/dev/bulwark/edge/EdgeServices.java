package dev.bulwark.edge;

import dev.bulwark.core.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the edge needs from its host process: where metrics go, the clock, and where each
 * access-log line (one JSON object per request) is delivered.
 */
public record EdgeServices(MeterRegistry meters, Clock clock, Consumer<String> accessLog) {
    public EdgeServices {
        Objects.requireNonNull(meters, "meters");
        clock = clock == null ? Clock.SYSTEM : clock;
        accessLog = accessLog == null ? line -> { } : accessLog;
    }

    /** System clock, access log discarded. */
    public static EdgeServices defaults(MeterRegistry meters) {
        return new EdgeServices(meters, Clock.SYSTEM, null);
    }

    /** In-memory meters, system clock, no access log: for tests and tools. */
    public static EdgeServices quiet() {
        return defaults(new SimpleMeterRegistry());
    }
}
