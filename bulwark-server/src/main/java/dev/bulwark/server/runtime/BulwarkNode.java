package dev.bulwark.server.runtime;

import dev.bulwark.cluster.RedisFleet;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.core.observe.AttackRecorder;
import dev.bulwark.core.observe.TrafficRecorder;
import dev.bulwark.core.time.Clock;
import dev.bulwark.edge.Edge;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.server.admin.AdminRoutes;
import dev.bulwark.server.admin.AdminServer;
import dev.bulwark.server.admin.LiveAttackRoutes;
import dev.bulwark.server.admin.MetricsRoutes;
import dev.bulwark.server.admin.ReloadRoutes;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running Bulwark process: the edge, the admin listener and the config reloader,
 * wired together.
 *
 * <p>Design: the Prometheus registry is created here and shared by the edge (its meters)
 * and the admin listener ({@code /metrics}). Reloads go through one {@link ConfigReloader}
 * whatever triggered them (SIGHUP, {@code POST /-/reload}); it applies the access-log
 * setting and then swaps the edge's config atomically. Shutdown drains the edge first,
 * then stops the admin listener, then flushes the access log.
 *
 * <p>Cluster mode: a config with a {@code cluster} section joins the fleet's Redis before the edge
 * starts (the key-hash seed must be installed before anything is hashed) and gives the edge the
 * shared counters, bans and key ring; the fleet is left after the edge has drained.
 */
public final class BulwarkNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BulwarkNode.class);

    private final Edge edge;
    private final AdminServer admin;
    private final ConfigReloader reloader;
    private final PrometheusMeterRegistry registry;
    private final AccessLog accessLog;
    private final RedisFleet fleet;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private BulwarkNode(Edge edge, AdminServer admin, ConfigReloader reloader, PrometheusMeterRegistry registry, AccessLog accessLog,
                        RedisFleet fleet) {
        this.edge = edge;
        this.admin = admin;
        this.reloader = reloader;
        this.registry = registry;
        this.accessLog = accessLog;
        this.fleet = fleet;
    }

    /**
     * Starts the edge and the admin listener for {@code config}. {@code configFile} is what
     * reloads re-read (null: built from flags, reload is refused). {@code extraRoutes} are
     * added to the admin listener (the control plane registers its API this way).
     */
    public static BulwarkNode start(BulwarkConfig config, Path configFile, List<AdminRoutes> extraRoutes) throws Exception {
        return start(config, configFile, extraRoutes, TrafficRecorder.NONE);
    }

    /** As above, reporting every finished request to {@code traffic} (the control plane's analytics). */
    public static BulwarkNode start(BulwarkConfig config, Path configFile, List<AdminRoutes> extraRoutes,
                                    TrafficRecorder traffic) throws Exception {
        return start(config, configFile, extraRoutes, traffic, AttackRecorder.NONE);
    }

    /** As above, also reporting every attack event's start, changes and end to {@code attacks} (the control plane's store). */
    public static BulwarkNode start(BulwarkConfig config, Path configFile, List<AdminRoutes> extraRoutes,
                                    TrafficRecorder traffic, AttackRecorder attacks) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        AccessLog accessLog = new AccessLog(config.edge().accessLog());
        RedisFleet fleet = null;
        Edge edge;
        try {
            EdgeServices services = new EdgeServices(registry, Clock.SYSTEM, accessLog).withTraffic(traffic).withAttacks(attacks);
            if (config.cluster() != null) {
                fleet = ClusterMode.join(config.cluster());
                ClusterMode.bindMetrics(fleet, registry);
                services = ClusterMode.use(fleet, services);
            }
            edge = Edge.start(config, services);
        } catch (Exception e) {
            if (fleet != null) fleet.close();
            accessLog.close();
            gc.close();
            throw e;
        }
        ConfigReloader reloader = new ConfigReloader(configFile, config, next -> {
            AccessLog.check(next.edge().accessLog()); // refuse before the edge changes
            edge.apply(next);
            accessLog.configure(next.edge().accessLog());
        });
        List<AdminRoutes> routes = new ArrayList<>();
        routes.add(new MetricsRoutes(registry));
        routes.add(new ReloadRoutes(reloader));
        routes.add(new LiveAttackRoutes(edge.policies()));
        routes.addAll(extraRoutes);
        AdminServer admin;
        try {
            admin = AdminServer.start(HostPort.parse(config.admin().address()), routes);
        } catch (RuntimeException e) {
            edge.close();
            if (fleet != null) fleet.close();
            accessLog.close();
            gc.close();
            throw e;
        }
        return new BulwarkNode(edge, admin, reloader, registry, accessLog, fleet);
    }

    /** Listener name (from the config) to the address it is bound to; port 0 in the config shows the real port here. */
    public Map<String, InetSocketAddress> listeners() { return edge.boundAddresses(); }

    public InetSocketAddress adminAddress() { return admin.address(); }

    public String adminUrl() { return admin.url(); }

    public ConfigReloader reloader() { return reloader; }

    public PrometheusMeterRegistry registry() { return registry; }

    /** The fleet this node belongs to, or null outside cluster mode. */
    public RedisFleet fleet() { return fleet; }

    /** Stops taking connections, lets in-flight requests finish for up to {@code drain}, then stops everything. Idempotent. */
    public void shutdown(Duration drain) {
        if (!stopped.compareAndSet(false, true)) return;
        log.info("shutting down: draining for up to {}", drain);
        try {
            edge.shutdown(drain);
        } finally {
            edge.close();
            admin.close();
            if (fleet != null) fleet.close();
            accessLog.close();
            registry.close();
        }
        log.info("stopped");
    }

    @Override
    public void close() { shutdown(Duration.ZERO); }
}
