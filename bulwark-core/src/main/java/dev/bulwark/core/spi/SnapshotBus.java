package dev.bulwark.core.spi;

import dev.bulwark.core.config.BulwarkConfig;

/**
 * Carries configuration snapshots from whoever commits them (the control plane) to whoever
 * applies them (every edge). A snapshot is an immutable {@link BulwarkConfig} tagged with a
 * monotonically increasing version number; listeners only ever see versions go up, so a late
 * or duplicated delivery of an older version is dropped rather than rolling an edge back.
 *
 * <p>The embedded default is {@link InMemorySnapshotBus} (one process); cluster mode supplies
 * a shared implementation. Listeners run on the publisher's thread or the bus's own thread and
 * must return quickly: an edge swaps a reference and returns.
 */
public interface SnapshotBus {
    /** Receives each newer snapshot once, in version order. */
    @FunctionalInterface
    interface Listener {
        void onSnapshot(long version, BulwarkConfig config);
    }

    /** A published snapshot. */
    record Snapshot(long version, BulwarkConfig config) {}

    /**
     * Publishes {@code config} as {@code version}. Returns false, and delivers nothing, when
     * the bus already holds this version or a newer one.
     */
    boolean publish(long version, BulwarkConfig config);

    /**
     * Registers a listener. If a snapshot is already published it is delivered to the listener
     * before this method returns, so a late subscriber starts from the current config.
     *
     * @return a handle that unsubscribes when closed
     */
    AutoCloseable subscribe(Listener listener);

    /** The newest snapshot published, or null when none has been. */
    Snapshot latest();
}
