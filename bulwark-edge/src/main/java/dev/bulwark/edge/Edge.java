package dev.bulwark.edge;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.limit.ConnectionGuard;
import dev.bulwark.core.limit.SketchShape;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.core.rules.GlobalLists;
import dev.bulwark.edge.codec.ListenerInitializer;
import dev.bulwark.edge.observe.ConnectionTracker;
import dev.bulwark.edge.observe.EdgeMetrics;
import dev.bulwark.edge.proxy.ClientHandler;
import dev.bulwark.edge.proxy.EdgeRuntime;
import dev.bulwark.edge.proxy.EdgeSnapshot;
import dev.bulwark.edge.proxy.OriginConnections;
import dev.bulwark.edge.proxy.PhaseRunner;
import dev.bulwark.edge.tls.TlsContexts;
import dev.bulwark.edge.transport.Transport;
import dev.bulwark.edge.upstream.HealthChecker;
import dev.bulwark.edge.upstream.OriginPool;
import dev.bulwark.edge.policy.EdgePolicies;
import dev.bulwark.edge.policy.accept.AcceptGuard;
import dev.bulwark.edge.zone.Zone;
import dev.bulwark.edge.zone.ZonePolicies;
import dev.bulwark.edge.zone.ZoneTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running data plane: the listeners of {@code config.edge()}, one event-loop group shared
 * by client and upstream channels, and the current {@link EdgeSnapshot}.
 *
 * <p>Design: configuration is an immutable snapshot in an AtomicReference. {@link #apply}
 * builds the next snapshot completely (zone table, certificates, origin selectors) before
 * swapping it in, so a bad config changes nothing and in-flight requests finish on the snapshot
 * they started with. Shutdown stops accepting, asks every connection to drain (idle HTTP/1.1
 * connections close at once, busy ones after their response, HTTP/2 ones with GOAWAY), waits
 * up to the drain time for requests in flight, then closes everything.
 */
public final class Edge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Edge.class);

    private final EdgeServices services;
    private final Transport transport;
    private final EventLoopGroup group;
    private final EdgeRuntime runtime;
    private final Map<String, Channel> servers = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> zoneInFlight = new ConcurrentHashMap<>();
    private final HealthChecker health;
    private final EdgePolicies policies;
    private volatile boolean stopped;

    private Edge(BulwarkConfig config, EdgeServices services) {
        this.services = services;
        this.transport = Transport.best();
        // one event loop per core by default: client and upstream channels share them, so more threads only add switches
        int threads = config.edge().workerThreads() > 0 ? config.edge().workerThreads() : Runtime.getRuntime().availableProcessors();
        this.group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
        EdgeMetrics metrics = new EdgeMetrics(services.meters());
        OriginConnections connections = new OriginConnections(transport, metrics);
        this.health = new HealthChecker(group, transport.socketChannel(), services.clock(), services.meters(), connections.tls());
        ChannelGroup clients = new DefaultChannelGroup("bulwark-clients", GlobalEventExecutor.INSTANCE);
        this.policies = new EdgePolicies(services);
        EdgeSnapshot first;
        try {
            first = snapshotOf(config, null);
        } catch (RuntimeException e) {
            policies.close();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        this.runtime = new EdgeRuntime(services, metrics, first, connections, PhaseRunner::standard, clients);
        policies.installed(first.zones());
        policies.startTicking();
        watchHealth(first, null);
    }

    /** Binds every listener of config.edge() and starts serving. Throws on bind failure. */
    public static Edge start(BulwarkConfig config, EdgeServices services) throws Exception {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(services, "services");
        Edge edge = new Edge(config, services);
        try {
            edge.bind(config);
        } catch (Exception e) {
            edge.shutdown(Duration.ZERO);
            throw e;
        }
        log.info("edge started on {} ({} transport, TLS provider {})", edge.boundAddresses(), edge.transport.name(), TlsContexts.providerName());
        return edge;
    }

    private void bind(BulwarkConfig config) throws Exception {
        ConnectionTracker tracker = new ConnectionTracker(runtime.metrics(), runtime.clients());
        AcceptGuard guard = new AcceptGuard(new ConnectionGuard(config.edge().guard(), services.blocklist(), SketchShape.DEFAULT,
                services.clock()), runtime, services.meters());
        for (ListenerConfig l : config.edge().listeners()) {
            HostPort hp = HostPort.parse(l.address());
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childHandler(new ListenerInitializer(runtime, l, tracker, guard));
            try {
                Channel ch = b.bind(hp.host(), hp.port()).sync().channel();
                servers.put(l.name(), ch);
            } catch (Exception e) {
                throw new java.io.IOException("cannot listen on " + l.address() + " (listener '" + l.name() + "'): " + e.getMessage(), e);
            }
        }
    }

    /**
     * Atomically swaps to a new config (zones, certificates, limits): in-flight requests finish
     * on the snapshot they started with; new requests see the new one. A different listener set
     * (name, address or protocol) needs a restart and is refused with IllegalArgumentException.
     */
    public synchronized void apply(BulwarkConfig next) throws Exception {
        Objects.requireNonNull(next, "config");
        if (stopped) throw new IllegalStateException("the edge is shut down");
        List<String> now = listenerKeys(runtime.snapshot().config());
        List<String> wanted = listenerKeys(next);
        if (!now.equals(wanted)) {
            throw new IllegalArgumentException("listeners changed (" + now + " -> " + wanted
                    + "); listener changes need a restart, the running config was kept");
        }
        EdgeSnapshot current = runtime.snapshot();
        EdgeSnapshot fresh = snapshotOf(next, current);
        runtime.swap(fresh);
        policies.installed(fresh.zones());
        watchHealth(fresh, current);
        log.info("config applied: {} zones", next.zones().size());
    }

    /** Listener name -> bound address (useful when config asked for port 0). */
    public Map<String, InetSocketAddress> boundAddresses() {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        servers.forEach((name, ch) -> out.put(name, (InetSocketAddress) ch.localAddress()));
        return out;
    }

    /** Security-policy state shared across snapshots (challenge endpoints, rate-limit bans, rule meters). */
    public EdgePolicies policies() { return policies; }

    /** The meters, pool and snapshot shared by every connection; for the admin server and tests. */
    public EdgeRuntime runtime() { return runtime; }

    /** Stops accepting, lets in-flight requests finish for up to {@code drain}, then closes everything. */
    public void shutdown(Duration drain) {
        synchronized (this) {
            if (stopped) return;
            stopped = true;
        }
        runtime.startDraining();
        for (Channel s : servers.values()) s.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (Channel c : runtime.clients()) c.eventLoop().execute(() -> c.pipeline().fireUserEventTriggered(ClientHandler.DRAIN));
        long deadline = System.nanoTime() + drain.toNanos();
        while (runtime.metrics().inFlight().get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        runtime.clients().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        health.close();
        policies.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        log.info("edge stopped");
    }

    @Override
    public void close() { shutdown(Duration.ofSeconds(10)); }

    /**
     * Builds a complete snapshot; throws (changing nothing) on a bad certificate, origin list,
     * firewall rule, rate-limit rule or challenge setting.
     * Origin pools inherit health from the previous snapshot's pool of the same zone.
     */
    private EdgeSnapshot snapshotOf(BulwarkConfig config, EdgeSnapshot previous) {
        List<Zone> zones = new ArrayList<>();
        GlobalLists lists = new GlobalLists(config.lists());
        for (ZoneConfig z : config.zones()) {
            OriginPool pool = OriginPool.of(z.origins(), services.clock());
            Zone before = previous == null ? null : previous.zones().zones().stream()
                    .filter(p -> p.id().equals(z.id())).findFirst().orElse(null);
            if (before != null) pool = before.config().origins().equals(z.origins()) ? before.origins() : pool.inheritFrom(before.origins());
            ZonePolicies zonePolicies = ZonePolicies.compile(z, lists, policies);
            zones.add(new Zone(z, pool, zoneInFlight.computeIfAbsent(z.id(), k -> new AtomicInteger()), zonePolicies));
        }
        List<Cidr> trusted = config.edge().trustedProxies().stream().map(Cidr::parse).toList();
        return new EdgeSnapshot(config, new ZoneTable(zones), TlsContexts.build(config), trusted);
    }

    /** Points the health checker at the new pools; zones that disappeared stop being probed. */
    private void watchHealth(EdgeSnapshot now, EdgeSnapshot before) {
        for (Zone z : now.zones().zones()) health.watch(z.id(), z.origins(), z.config().origins().healthCheck());
        if (before == null) return;
        for (Zone z : before.zones().zones()) {
            if (now.zones().zones().stream().noneMatch(n -> n.id().equals(z.id()))) health.unwatch(z.id());
        }
    }

    private static List<String> listenerKeys(BulwarkConfig c) {
        return c.edge().listeners().stream().map(l -> l.name() + "=" + l.protocol() + "://" + l.address()).toList();
    }
}
