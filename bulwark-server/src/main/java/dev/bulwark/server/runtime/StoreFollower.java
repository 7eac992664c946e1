package dev.bulwark.server.runtime;

import dev.bulwark.control.live.StorePoller;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.Database;
import dev.bulwark.control.store.TlsKeyVault;
import dev.bulwark.control.store.TlsKeys;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An edge-only node's view of the fleet's configuration: it reads the shared PostgreSQL store
 * read-only (no API, no migrations, no tokens) and applies every new version through the node's
 * {@link ConfigReloader}, with the same {@link StorePoller} a control-plane node uses for other
 * processes' commits, so a change committed anywhere reaches it within one poll (250 ms).
 *
 * <p>Its own file still gives the listeners and admin address; zones and lists come from the
 * store. If the store cannot be read at start the node serves the file's zones until the first
 * successful poll.
 */
public final class StoreFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreFollower.class);
    static final Duration POLL = Duration.ofMillis(250);

    private final Database database;
    private final ConfigStore store;
    private final InMemorySnapshotBus bus = new InMemorySnapshotBus();
    private StorePoller poller;
    private AutoCloseable subscription;

    private StoreFollower(Database database, BulwarkConfig base, Path keyFile) {
        this.database = database;
        // never creates the file: the control-plane nodes encrypted the stored keys with theirs
        this.store = new ConfigStore(database.jdbi(), Clock.SYSTEM, base, bus, TlsKeys.openVault(database.jdbi(), TlsKeyVault.locate(keyFile, null), false));
    }

    public static StoreFollower open(String jdbcUrl, String user, String password, BulwarkConfig base) {
        return open(jdbcUrl, user, password, base, null);
    }

    /** With the fleet's TLS key file ({@code keyFile}, else {@code BULWARK_KEY_FILE}), needed to serve stored certificates. */
    public static StoreFollower open(String jdbcUrl, String user, String password, BulwarkConfig base, Path keyFile) {
        return new StoreFollower(Database.postgresReadOnly(jdbcUrl, user, password), base, keyFile);
    }

    /** Starts a node on the store's current zones (the file's when the store is unreachable) and follows it. */
    public BulwarkNode startNode(BulwarkConfig config) throws Exception {
        BulwarkConfig initial = config;
        long version = 0;
        try {
            ConfigStore.Snapshot s = store.snapshot();
            if (s.version() > 0) {
                initial = s.config().withCluster(config.cluster());
                version = s.version();
            }
        } catch (RuntimeException e) {
            log.warn("cannot read the store yet ({}); serving the file's zones until it answers", e.toString());
        }
        BulwarkNode node = BulwarkNode.start(initial, null, List.of());
        if (version > 0) bus.publish(version, initial); // held: the first poll publishes only newer versions
        long started = version;
        subscription = bus.subscribe((v, next) -> {
            if (v > started) node.reloader().apply(next, "store version " + v);
        });
        poller = StorePoller.start(store, bus, POLL);
        return node;
    }

    @Override
    public void close() {
        if (poller != null) poller.close();
        try {
            if (subscription != null) subscription.close();
        } catch (Exception e) {
            log.warn("unsubscribing from the store failed", e);
        }
        database.close();
    }
}
