package dev.bulwark.core.concurrent;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stripe numbers for per-thread slices of shared structures (sampler rings, histogram rows):
 * each thread takes the next number on first use, so the first threads to write (the event
 * loops) each get a stripe of their own, and a structure with N stripes uses
 * {@code current() & (N - 1)}. More threads than stripes share one; the structures stay
 * correct with atomic updates, only slower.
 */
public final class ThreadStripes {
    /**
     * Stripes for a structure that every event loop writes: one per core (the edge runs an
     * event loop per core), a power of two, at most {@code max}.
     */
    public static int perCore(int max) {
        return Math.min(Integer.highestOneBit(Math.max(1, max)), Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors())));
    }

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ThreadLocal<Integer> MINE = ThreadLocal.withInitial(NEXT::getAndIncrement);

    private ThreadStripes() {}

    /** This thread's stripe number (mask it with the structure's stripe count minus one). */
    public static int current() { return MINE.get(); }
}
