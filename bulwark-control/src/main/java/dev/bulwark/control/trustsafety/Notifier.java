package dev.bulwark.control.trustsafety;

/**
 * Delivers one notification. Implementations throw when delivery failed; the
 * {@link OutboxDispatcher} then retries later. Delivery is at least once: a notifier may see the
 * same notification again after a crash between delivering and recording it.
 */
@FunctionalInterface
public interface Notifier {
    void deliver(Notification n) throws Exception;
}
