package dev.bulwark.control.live;

import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.core.spi.SnapshotBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes changes committed by other processes (another control-plane node, the CLI writing
 * straight to the store) visible here: every {@code interval} it reads the latest version
 * number, one indexed query, and when it is newer than what the bus holds, loads that
 * snapshot and publishes it. Commits made in this process are already on the bus, so for
 * them the poll is a no-op. A failing poll (store briefly unreachable) is logged and retried
 * on the next tick.
 */
public final class StorePoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorePoller.class);

    private final ConfigStore store;
    private final SnapshotBus bus;
    private final ScheduledExecutorService timer;

    private StorePoller(ConfigStore store, SnapshotBus bus, Duration interval) {
        this.store = store;
        this.bus = bus;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulwark-store-poller");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pollOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts polling; the first poll publishes the current stored config. */
    public static StorePoller start(ConfigStore store, SnapshotBus bus, Duration interval) {
        return new StorePoller(store, bus, interval);
    }

    /** One poll; returns true when it published a newer snapshot. */
    public boolean pollOnce() {
        try {
            SnapshotBus.Snapshot held = bus.latest();
            long latest = store.latestVersion();
            if (held != null && held.version() >= latest) return false;
            ConfigStore.Snapshot s = store.snapshot();
            return bus.publish(s.version(), s.config());
        } catch (RuntimeException e) {
            LOG.warn("config poll failed, retrying: {}", e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
