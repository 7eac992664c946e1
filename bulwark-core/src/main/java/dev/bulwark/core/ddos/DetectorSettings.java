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
 * @param warmup         after a fresh start or an idle spell, this much traffic is learnt fast (time
 *                       constant warmup / 5) and only floods above minExcess × factor with a
 *                       separating signature open an event
 * @param surgeFor       an event nothing separates ends as a surge of real visitors once, for this
 *                       long, the origin copes and (under attack) the extra visitors hold clearance
 * @param idleFor        a zone without a single request for this long warms up again when traffic returns
 */
public record DetectorSettings(Duration tick, double factor, double minExcess, int confirmTicks, Duration calmFor,
                               Duration baselineTau, Duration warmup, Duration surgeFor, Duration idleFor) {
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
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(30));
    }

    double alpha() { return 1 - Math.exp(-(double) tick.toNanos() / baselineTau.toNanos()); }

    /** Weight of a tick during the warm-up: a time constant of a fifth of it (1 s by default). */
    double warmupAlpha() { return Math.max(alpha(), 1 - Math.exp(-5.0 * tick.toNanos() / Math.max(1, warmup.toNanos()))); }

    /** Ticks in {@code d}, at least one. */
    int ticks(Duration d) { return (int) Math.max(1, Math.ceil((double) d.toNanos() / tick.toNanos())); }
}
