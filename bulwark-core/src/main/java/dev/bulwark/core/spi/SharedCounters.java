package dev.bulwark.core.spi;

import java.time.Duration;

/**
 * Windowed event counts per key that may be shared by several edge nodes (cluster-wide rate
 * limits). A policy asks once, at configuration time, for the {@link Window} of each period it
 * uses, then counts through it on the request path.
 *
 * <p>The in-process implementation is a sliding-window count-min estimator. Shared
 * implementations keep a local estimate in front of the remote store and synchronise deltas in
 * the background, so {@link Window#incrementAndGet} never waits for the network; the cost is that
 * other nodes' counts arrive up to one synchronisation interval late.
 */
public interface SharedCounters {
    /** The counter window for a period; callers keep and reuse it. */
    Window window(Duration period);

    interface Window {
        Duration period();

        /**
         * Adds {@code delta} events for the key and returns its sliding-window count (previous
         * window weighted by its remaining overlap, plus the current one), this call included.
         * Never blocks or allocates.
         */
        long incrementAndGet(long keyHash, long delta);

        /**
         * As {@link #incrementAndGet}, for rare events off the request path (a sign-in attempt):
         * waits, briefly, until the shared store has counted the delta and answered with the
         * fleet's total, so the answer misses only what other nodes have not sent yet. Without
         * that, a node learns of other nodes' counts only when it next sends its own, and an
         * attacker spreading guesses over the nodes would get more of them. Answers from the local
         * estimate when the store does not answer in time; at once when nothing is shared.
         */
        default long incrementAndGetSynced(long keyHash, long delta) { return incrementAndGet(keyHash, delta); }

        /** The key's current sliding-window count without counting anything. */
        long get(long keyHash);
    }
}
