package dev.bulwark.core.spi;

import dev.bulwark.core.config.BulwarkConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one-process {@link SnapshotBus}: publish delivers synchronously, in the publisher's
 * thread, to every listener. Publishing is serialised so listeners see versions strictly
 * increasing even when two threads publish at once; a listener that throws is logged and
 * does not stop delivery to the others.
 */
public final class InMemorySnapshotBus implements SnapshotBus {
    private static final Logger LOG = LoggerFactory.getLogger(InMemorySnapshotBus.class);

    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object publishLock = new Object();
    private volatile Snapshot latest;

    @Override
    public boolean publish(long version, BulwarkConfig config) {
        Objects.requireNonNull(config, "config");
        synchronized (publishLock) {
            Snapshot current = latest;
            if (current != null && current.version() >= version) return false;
            Snapshot next = new Snapshot(version, config);
            latest = next;
            for (Listener l : listeners) deliver(l, next);
            return true;
        }
    }

    @Override
    public AutoCloseable subscribe(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (publishLock) { // so the listener cannot miss a snapshot published meanwhile
            listeners.add(listener);
            Snapshot current = latest;
            if (current != null) deliver(listener, current);
        }
        return () -> listeners.remove(listener);
    }

    @Override
    public Snapshot latest() { return latest; }

    private static void deliver(Listener l, Snapshot s) {
        try {
            l.onSnapshot(s.version(), s.config());
        } catch (RuntimeException e) {
            LOG.error("snapshot listener {} failed on version {}", l, s.version(), e);
        }
    }
}
