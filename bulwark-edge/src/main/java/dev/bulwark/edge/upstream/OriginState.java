package dev.bulwark.edge.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mutable health of one origin: requests in flight, the passive failure streak and ejection, and the
 * active probe verdict. It is separate from {@link Origin} so that a reloaded pool can hand the same state
 * to the new {@code Origin} of the same id (see {@link OriginPool#inheritFrom}); requests still running on
 * the old pool then finish against the same counters the new pool reads.
 *
 * <p>The hot path ({@code outstanding}, a success, the {@code available} check) touches only atomics and
 * volatiles. Transitions (eject, probation, probe up/down) are rare and take this object's monitor so that a
 * burst of concurrent failures ejects once, not once per thread.
 */
final class OriginState {
    final AtomicInteger outstanding = new AtomicInteger();
    /** Consecutive failed requests or connects since the last success (passive health). */
    final AtomicInteger consecutiveFailures = new AtomicInteger();

    /** Active verdict; new origins start healthy so a fresh config serves at once. */
    volatile boolean healthy = true;
    /** Passively ejected until {@link #ejectedUntilNanos}; cleared lazily by the first availability check after. */
    volatile boolean ejected;
    volatile long ejectedUntilNanos;
    /** After an ejection ends the origin is on probation: its next failure ejects it again at once. */
    volatile boolean probation;
    /** Ejections in a row without a success in between; lengthens the next ejection (bounded). */
    int ejectionStreak;

    /** Active probe streaks; probes of one origin never overlap, so these need the monitor only for visibility. */
    int probeSuccesses;
    int probeFailures;
    /** The latest active probe, for logs and status pages; null before the first. */
    volatile ProbeResult lastProbe;
}
