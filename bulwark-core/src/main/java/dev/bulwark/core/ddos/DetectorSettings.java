package dev.bulwark.core.ddos;

import dev.bulwark.core.config.DdosConfig;

import java.time.Duration;

/**
 * Tuning of an {@link AttackDetector}. {@link #of(DdosConfig)} derives it from the zone's
 * sensitivity; the other values are defaults chosen so that a flood is mitigated within about
 * a second while a normal traffic ramp (a launch, a newsletter) is not taken for an attack.
 *
 * @param tick           how often the detector looks at the samples
 * @param factor         rate above baseline × factor is anomalous (HIGH 2.5, MEDIUM 4, LOW 8)
 * @param minExcess      and only when at least this many requests/s above baseline (ignores small-site noise)
 * @param confirmTicks   consecutive anomalous ticks before an event opens
 * @param calmFor        how long traffic must stay near baseline before the event ends
 * @param baselineTau    time constant of the baseline's moving averages
 * @param warmup         before this much baseline, only floods above minExcess × factor are detected
 */
public record DetectorSettings(Duration tick, double factor, double minExcess, int confirmTicks, Duration calmFor,
                               Duration baselineTau, Duration warmup) {
    public DetectorSettings {
        if (tick.isZero() || tick.isNegative()) throw new IllegalArgumentException("detector tick must be positive");
        if (factor <= 1) throw new IllegalArgumentException("detector factor must be above 1, got " + factor);
        if (confirmTicks < 1) throw new IllegalArgumentException("confirmTicks must be at least 1");
    }

    public static DetectorSettings of(DdosConfig config) {
        double factor = switch (config.sensitivity()) {
            case HIGH -> 2.5;
            case MEDIUM -> 4;
            case LOW -> 8;
        };
        return new DetectorSettings(Duration.ofMillis(250), factor, 50, 2, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    double alpha() { return 1 - Math.exp(-(double) tick.toNanos() / baselineTau.toNanos()); }
}
