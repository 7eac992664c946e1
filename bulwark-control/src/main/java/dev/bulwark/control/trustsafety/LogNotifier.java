package dev.bulwark.control.trustsafety;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each notification to the log: the default, for operators who read (or ship) the log. */
public final class LogNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger("bulwark.trustsafety.notifications");

    @Override
    public void deliver(Notification n) {
        LOG.info("notification {} ({}) to {}: {}\n{}", n.id(), n.kind(), n.recipient(), n.subject(), n.body());
    }
}
