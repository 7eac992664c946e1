package dev.bulwark.core.config;

import java.time.Duration;

/** Passive ejection: an origin that fails {@code consecutiveFailures} times in a row is skipped for {@code ejection}. */
public record PassiveHealthConfig(Integer consecutiveFailures, Duration ejection) {
    public PassiveHealthConfig {
        consecutiveFailures = consecutiveFailures == null ? 5 : consecutiveFailures;
        ejection = ejection == null ? Duration.ofSeconds(30) : ejection;
    }

    public static PassiveHealthConfig defaults() { return new PassiveHealthConfig(null, null); }
}
