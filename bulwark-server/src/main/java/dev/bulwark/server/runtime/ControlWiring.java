package dev.bulwark.server.runtime;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.api.ControlApi;
import dev.bulwark.control.trustsafety.TrustSafety;
import dev.bulwark.control.web.Dashboard;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.EnforcementConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.Clock;
import dev.bulwark.server.admin.AdminRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the control plane inside a node: opens the store, serves its REST API on the admin
 * listener, and applies every snapshot the store publishes to the edge through the node's
 * {@link ConfigReloader} (so store snapshots are validated and versioned like file reloads).
 *
 * <p>Order matters: the store opens before the node (its API is one of the admin routes),
 * and the node subscribes after it started (the bus then delivers the current snapshot).
 */
public final class ControlWiring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlWiring.class);

    private final ControlPlane controlPlane;
    private final InMemorySnapshotBus bus;
    private AutoCloseable subscription;

    private ControlWiring(ControlPlane controlPlane, InMemorySnapshotBus bus) {
        this.controlPlane = controlPlane;
        this.bus = bus;
    }

    /** Opens the store: SQLite under {@code dataDir}, or PostgreSQL when {@code jdbcUrl} is set. */
    public static ControlWiring open(Path dataDir, String jdbcUrl, String user, String password, BulwarkConfig base) {
        return open(dataDir, jdbcUrl, user, password, base, null, null);
    }

    /**
     * {@link #open(Path, String, String, String, BulwarkConfig)} with the TLS key file (null: the
     * default, see {@link ControlPlane.Settings}) and how many config versions to keep (null: the default).
     */
    public static ControlWiring open(Path dataDir, String jdbcUrl, String user, String password, BulwarkConfig base,
                                     Path keyFile, Integer keepVersions) {
        InMemorySnapshotBus bus = new InMemorySnapshotBus();
        ControlPlane cp = ControlPlane.open(new ControlPlane.Settings(dataDir, jdbcUrl, user, password, base, bus,
                Clock.SYSTEM, null, keyFile, keepVersions));
        return new ControlWiring(cp, bus);
    }

    /** The control-plane API and its dashboard ({@code /dashboard}), mounted on the admin listener. */
    public AdminRoutes routes() {
        ControlApi api = new ControlApi(controlPlane);
        Dashboard dashboard = new Dashboard(controlPlane);
        return app -> {
            api.register(app);
            dashboard.register(app);
        };
    }

    /** Stores {@code config}'s lists and zones as a new version unless the store already holds exactly them. */
    public void seed(BulwarkConfig config, String actor, String message) {
        var commit = controlPlane.store().importConfig(actor, config, message);
        if (commit.changed()) log.info("store: {} as version {}", message, commit.version());
    }

    /**
     * Starts a node serving {@code config}'s listeners with this control plane: its API and
     * public pages on the admin listener, analytics and attack events fed by the edge, and every snapshot the store
     * publishes applied to the edge.
     */
    public BulwarkNode startNode(BulwarkConfig config) throws Exception {
        BulwarkNode node = BulwarkNode.start(config, null, List.of(routes()), controlPlane.analytics(), controlPlane.attackJournal());
        attach(node, null);
        return node;
    }

    /**
     * From now on, every snapshot the store publishes is applied to {@code node}'s edge. The
     * control plane's public pages (abuse form, transparency report) are served on the admin
     * listener, so its URL is the public URL unless {@code publicUrl} names another (a proxy in
     * front of it); every zone's {@code /.well-known/bulwark/abuse} redirects to that form. In
     * cluster mode the abuse form's and appeals' puzzles are signed with the fleet's key ring, so
     * a puzzle one control-plane process issued verifies on any other behind the same address
     * (their tokens name the form, which no zone id can, so they never pass as a visitor's), and
     * dashboard sign-in attempts count in the fleet's counters.
     */
    private void attach(BulwarkNode node, String publicUrl) {
        String base = publicUrl != null ? publicUrl : node.adminUrl();
        controlPlane.trustSafety().settings(new TrustSafety.Settings(base,
                TrustSafety.Settings.defaults().escalation(), TrustSafety.Settings.defaults().deliveryInterval()));
        if (node.fleet() != null) {
            controlPlane.trustSafety().puzzleKeys(node.fleet().keyRing());
            controlPlane.shareCounters(node.fleet().counters()); // sign-in attempts count fleet-wide
        }
        String abuseForm = controlPlane.trustSafety().abuseFormUrl();
        subscription = bus.subscribe((version, config) ->
                node.reloader().apply(withAbuseForm(config, abuseForm), "store version " + version));
        // notices stored before they carried an appeal link, or before the public URL moved
        int refreshed = controlPlane.trustSafety().refreshNoticeLinks();
        if (refreshed > 0) log.info("refreshed the notice links of {} acted-on zone(s) for {}", refreshed, base);
    }

    /** Zones without their own report URL get the control plane's abuse form. */
    static BulwarkConfig withAbuseForm(BulwarkConfig config, String abuseForm) {
        List<ZoneConfig> zones = new ArrayList<>(config.zones().size());
        for (ZoneConfig z : config.zones()) {
            EnforcementConfig e = z.enforcement();
            zones.add(e.reportUrl() != null ? z : z.withEnforcement(e.withReportUrl(abuseForm)));
        }
        return config.withZones(zones);
    }

    public ControlPlane controlPlane() { return controlPlane; }

    /** The admin token created on the store's first start, shown once. */
    public java.util.Optional<String> bootstrapToken() { return controlPlane.bootstrapToken(); }

    @Override
    public void close() {
        try {
            if (subscription != null) subscription.close();
        } catch (Exception e) {
            log.warn("unsubscribing from the store failed", e);
        }
        controlPlane.close();
    }
}
