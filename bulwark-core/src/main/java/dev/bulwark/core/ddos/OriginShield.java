package dev.bulwark.core.ddos;

import dev.bulwark.core.time.Clock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Origin protection for one zone: at most {@code maxConcurrent} requests at the origin, a
 * short queue behind them, and load shedding of unverified visitors when the origin starts to
 * fail.
 *
 * <p>The origin's outcomes (5xx or timeout = failure) are counted in one-second buckets over a
 * five-second window and compared with a slowly moving baseline failure ratio. When the recent
 * ratio surges (above {@code max(20%, 3 × baseline)} with at least 20 outcomes) the shield sheds:
 * requests from visitors without clearance (level 0) are refused and dropped from the queue,
 * while verified visitors keep their place, queued ahead of unverified ones. Shedding stops once
 * the ratio falls below half the trigger.
 *
 * <p>Non-blocking: {@link #acquire} answers at once; a queued request is resumed through its
 * {@link Waiter} when a slot frees up (the caller hops back to its event loop there). The lock
 * guards a few counters and two deques and is never held while calling out.
 */
public final class OriginShield {
    /** Answer to a request that wants to go to the origin. */
    public enum Admission {
        /** Go now; call {@link #release} when the origin answered. */
        PROCEED,
        /** Wait: the waiter is told {@code granted()} (then go, then release) or {@code shed()}. */
        QUEUED,
        /** Origin busy and queue full: answer 503. */
        QUEUE_FULL,
        /** Origin failing and the visitor is unverified: answer 503 (or challenge). */
        SHED
    }

    /** A queued request. Called without the shield's lock held, from the releasing thread. */
    public interface Waiter {
        void granted();

        void shed();
    }

    static final int WINDOW_SECONDS = 5;
    static final int MIN_OUTCOMES = 20;
    static final double MIN_SURGE_RATIO = 0.2;
    static final double SURGE_FACTOR = 3;

    private final int maxConcurrent;
    private final int queueCapacity;
    private final Clock clock;
    private final ArrayDeque<Waiter> verified = new ArrayDeque<>();
    private final ArrayDeque<Waiter> unverified = new ArrayDeque<>();
    private final long[] totals = new long[WINDOW_SECONDS];
    private final long[] failures = new long[WINDOW_SECONDS];
    private long bucketSecond = Long.MIN_VALUE;
    private double baselineRatio;
    private boolean baselineSet;
    private boolean shedding;
    private int inFlight;

    /**
     * @param maxConcurrent 0 for no cap (failure shedding still applies)
     * @param queue         requests allowed to wait for a slot
     */
    public OriginShield(int maxConcurrent, int queue, Clock clock) {
        if (maxConcurrent < 0 || queue < 0) throw new IllegalArgumentException("origin cap and queue must not be negative");
        this.maxConcurrent = maxConcurrent;
        this.queueCapacity = queue;
        this.clock = clock;
    }

    public Admission acquire(int clearanceLevel, Waiter waiter) {
        Waiter bumped;
        synchronized (this) {
            roll();
            if (shedding && clearanceLevel <= 0) return Admission.SHED;
            if (maxConcurrent == 0 || inFlight < maxConcurrent) {
                inFlight++;
                return Admission.PROCEED;
            }
            if (verified.size() + unverified.size() < queueCapacity) {
                (clearanceLevel > 0 ? verified : unverified).addLast(waiter);
                return Admission.QUEUED;
            }
            // queue full: a verified visitor takes the place of the newest unverified one
            if (clearanceLevel <= 0 || unverified.isEmpty()) return Admission.QUEUE_FULL;
            bumped = unverified.pollLast();
            verified.addLast(waiter);
        }
        bumped.shed();
        return Admission.QUEUED;
    }

    /** Removes a queued request whose client went away; true when it was still waiting. */
    public synchronized boolean cancel(Waiter waiter) {
        return verified.remove(waiter) || unverified.remove(waiter);
    }

    /** Ends an origin request that was granted; {@code failed} for 5xx, timeouts and connect errors. */
    public void release(boolean failed) {
        Waiter next;
        List<Waiter> shed = List.of();
        synchronized (this) {
            roll();
            int b = bucket();
            totals[b]++;
            if (failed) failures[b]++;
            boolean was = shedding;
            shedding = evaluate();
            if (shedding && !was && !unverified.isEmpty()) {
                shed = new ArrayList<>(unverified);
                unverified.clear();
            }
            next = verified.pollFirst();
            if (next == null && !shedding) next = unverified.pollFirst();
            if (next == null) inFlight--; // otherwise the slot passes straight to the waiter
        }
        callShed(shed);
        if (next != null) next.granted();
    }

    public synchronized boolean shedding() { roll(); return shedding; }

    public synchronized int inFlight() { return inFlight; }

    public synchronized int queued() { return verified.size() + unverified.size(); }

    /** Failure ratio of the last five seconds of origin outcomes. */
    public synchronized double recentFailureRatio() {
        roll();
        long t = 0, f = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) { t += totals[i]; f += failures[i]; }
        return t == 0 ? 0 : (double) f / t;
    }

    public synchronized double baselineFailureRatio() { return baselineRatio; }

    private boolean evaluate() {
        long t = 0, f = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) { t += totals[i]; f += failures[i]; }
        if (t < MIN_OUTCOMES) return shedding && t > 0;
        double ratio = (double) f / t;
        double trigger = Math.max(MIN_SURGE_RATIO, SURGE_FACTOR * baselineRatio);
        return shedding ? ratio >= trigger / 2 : ratio >= trigger;
    }

    private int bucket() { return (int) Math.floorMod(bucketSecond, (long) WINDOW_SECONDS); }

    /** Advances the one-second buckets; a completed bucket teaches the baseline unless shedding. */
    private void roll() {
        long second = Math.floorDiv(clock.nanoTime(), 1_000_000_000L);
        if (bucketSecond == Long.MIN_VALUE) { bucketSecond = second; return; }
        int steps = 0;
        while (bucketSecond < second && steps++ <= WINDOW_SECONDS) {
            int b = bucket();
            if (!shedding && totals[b] > 0) {
                double r = (double) failures[b] / totals[b];
                baselineRatio = baselineSet ? baselineRatio + 0.05 * (r - baselineRatio) : r;
                baselineSet = true;
            }
            bucketSecond++;
            int nb = bucket();
            totals[nb] = 0;
            failures[nb] = 0;
        }
        bucketSecond = second;
        shedding = shedding && evaluate();
    }

    private static void callShed(List<Waiter> shed) {
        for (Waiter w : shed) w.shed();
    }
}
