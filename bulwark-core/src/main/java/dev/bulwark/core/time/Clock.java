package dev.bulwark.core.time;

/**
 * Time as Bulwark's decisions see it. Policies take a Clock instead of calling
 * System.nanoTime() so that windows, expiry and escalation can be tested instantly.
 */
public interface Clock {
    /** Monotonic nanoseconds, for durations and windows. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, for timestamps people read and tokens that expire. */
    long currentTimeMillis();

    Clock SYSTEM = new Clock() {
        @Override public long nanoTime() { return System.nanoTime(); }
        @Override public long currentTimeMillis() { return System.currentTimeMillis(); }
    };
}
