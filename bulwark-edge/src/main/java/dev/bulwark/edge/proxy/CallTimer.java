package dev.bulwark.edge.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one clock that a client connection's calls share. A keep-alive connection serves request
 * after request, each with a deadline; scheduling a task per request and cancelling it when the
 * response ends cost an allocation plus a priority-queue insert and removal each (about 2% of a
 * proxied request's Java time). Instead the connection keeps at most one scheduled task: a call
 * sets the deadline and what to run then; a task that fires before the deadline due re-arms for
 * it, and one that finds nobody waiting just ends. Back-to-back requests thus schedule about one
 * task per timeout period, not one per request. Confined to the connection's event loop.
 */
final class CallTimer {
    private final EventExecutor loop;
    private final LongSupplier clock; // the callers' nanoTime: System.nanoTime
    private ScheduledFuture<?> task;
    private long taskAt;
    private Runnable action; // null: nobody waits
    private long deadline;
    private long schedules; // tasks scheduled so far (tests check the sharing)

    CallTimer(EventExecutor loop, LongSupplier clock) {
        this.loop = loop;
        this.clock = clock;
    }

    /**
     * Runs {@code action} no later than {@code deadline} (System.nanoTime), replacing another
     * action armed before. The same action already armed for an earlier deadline keeps it: run
     * early, it re-checks what is due then and arms again (a call arms its later idle deadline
     * while its first-byte one is still set).
     */
    void arm(Runnable action, long deadline, long now) {
        if (action == this.action && this.deadline - deadline <= 0) return;
        this.action = action;
        this.deadline = deadline;
        if (task != null) {
            if (taskAt - deadline <= 0) return; // fires first, then re-arms for this deadline
            task.cancel(false);
        }
        schedule(deadline, now);
    }

    /** Nothing waits any more; a scheduled task stays (it is reused by the next call or ends by itself). */
    void disarm() {
        action = null;
    }

    /** The connection ended: no task outlives it. */
    void close() {
        action = null;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    long schedules() { return schedules; }

    private void schedule(long at, long now) {
        schedules++;
        taskAt = at;
        task = loop.schedule(this::fire, Math.max(0, at - now), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        task = null;
        Runnable due = action;
        if (due == null) return;
        long now = clock.getAsLong();
        if (now - deadline < 0) {
            schedule(deadline, now);
            return;
        }
        action = null;
        due.run();
    }
}
