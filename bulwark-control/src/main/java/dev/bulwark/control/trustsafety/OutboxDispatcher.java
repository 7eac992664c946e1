package dev.bulwark.control.trustsafety;

import dev.bulwark.core.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Delivers due notifications through a {@link Notifier}. A failure is retried with exponential
 * backoff ({@code firstRetry}, doubling, at most {@code maxDelay}) until {@code maxAttempts},
 * after which the notification is marked failed and stays in the outbox for an operator to see.
 * {@link #deliverDue()} is one bounded pass; {@link TrustSafety} runs it on a timer.
 */
public final class OutboxDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int BATCH = 50;

    private final Outbox outbox;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration firstRetry;
    private final Duration maxDelay;
    private volatile Notifier notifier;

    public OutboxDispatcher(Outbox outbox, Notifier notifier, Clock clock, int maxAttempts, Duration firstRetry, Duration maxDelay) {
        this.outbox = outbox;
        this.notifier = notifier;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.firstRetry = firstRetry;
        this.maxDelay = maxDelay;
    }

    public void notifier(Notifier n) { this.notifier = n; }

    /** Tries every due notification once; returns how many were delivered. */
    public synchronized int deliverDue() {
        long now = clock.currentTimeMillis();
        List<Notification> due = outbox.due(now, BATCH);
        int delivered = 0;
        for (Notification n : due) {
            try {
                notifier.deliver(n);
                outbox.delivered(n.id(), clock.currentTimeMillis());
                delivered++;
            } catch (Exception e) {
                int attempts = n.attempts() + 1;
                boolean giveUp = attempts >= maxAttempts;
                long delay = Math.min(maxDelay.toMillis(), firstRetry.toMillis() << Math.min(20, attempts - 1));
                outbox.attemptFailed(n.id(), e.toString(), now + delay, giveUp, now);
                LOG.warn("notification {} to {} failed (attempt {}/{}{}): {}", n.id(), n.recipient(), attempts, maxAttempts,
                        giveUp ? ", giving up" : "", e.toString());
            }
        }
        return delivered;
    }
}
