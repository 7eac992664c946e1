package dev.bulwark.core.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to; for deterministic tests and simulations. */
public final class ManualClock implements Clock {
    private final AtomicLong nanos = new AtomicLong();
    private final long epochMillisAtZero;

    public ManualClock() { this(1_700_000_000_000L); }

    public ManualClock(long epochMillisAtZero) { this.epochMillisAtZero = epochMillisAtZero; }

    @Override public long nanoTime() { return nanos.get(); }

    @Override public long currentTimeMillis() { return epochMillisAtZero + nanos.get() / 1_000_000L; }

    public ManualClock advance(Duration d) { nanos.addAndGet(d.toNanos()); return this; }

    public ManualClock advanceMillis(long ms) { nanos.addAndGet(ms * 1_000_000L); return this; }
}
