package dev.bulwark.edge;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.net.HostPort;
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
import dev.bulwark.edge.zone.OriginSelector;
import dev.bulwark.edge.zone.RoundRobinSelector;
import dev.bulwark.edge.zone.Zone;
import dev.bulwark.edge.zone.ZoneTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
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
import java.util.function.Function;

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
    private final Function<ZoneConfig, OriginSelector> selectors;
    private volatile boolean stopped;

    private Edge(BulwarkConfig config, EdgeServices services, Function<ZoneConfig, OriginSelector> selectors) {
        this.services = services;
        this.selectors = selectors;
        this.transport = Transport.best();
        int threads = config.edge().workerThreads();
        this.group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
        EdgeMetrics metrics = new EdgeMetrics(services.meters());
        ChannelGroup clients = new DefaultChannelGroup("bulwark-clients", GlobalEventExecutor.INSTANCE);
        this.runtime = new EdgeRuntime(services, metrics, snapshotOf(config), new OriginConnections(transport, metrics),
                PhaseRunner::standard, clients);
    }

    /** Binds every listener of config.edge() and starts serving. Throws on bind failure. */
    public static Edge start(BulwarkConfig config, EdgeServices services) throws Exception {
        return start(config, services, z -> new RoundRobinSelector(z.origins()));
    }

    /** As {@link #start(BulwarkConfig, EdgeServices)}, with the origin selector built per zone by {@code selectors}. */
    public static Edge start(BulwarkConfig config, EdgeServices services,
                             Function<ZoneConfig, OriginSelector> selectors) throws Exception {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(services, "services");
        Edge edge = new Edge(config, services, selectors);
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
        for (ListenerConfig l : config.edge().listeners()) {
            HostPort hp = HostPort.parse(l.address());
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                    .childHandler(new ListenerInitializer(runtime, l, tracker));
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
        EdgeSnapshot fresh = snapshotOf(next);
        EdgeSnapshot old = runtime.swap(fresh);
        closeSelectors(old);
        log.info("config applied: {} zones", next.zones().size());
    }

    /** Listener name -> bound address (useful when config asked for port 0). */
    public Map<String, InetSocketAddress> boundAddresses() {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        servers.forEach((name, ch) -> out.put(name, (InetSocketAddress) ch.localAddress()));
        return out;
    }

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
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        closeSelectors(runtime.snapshot());
        log.info("edge stopped");
    }

    @Override
    public void close() { shutdown(Duration.ofSeconds(10)); }

    private EdgeSnapshot snapshotOf(BulwarkConfig config) {
        List<Zone> zones = new ArrayList<>();
        try {
            for (ZoneConfig z : config.zones()) {
                zones.add(new Zone(z, selectors.apply(z), zoneInFlight.computeIfAbsent(z.id(), k -> new AtomicInteger())));
            }
            List<Cidr> trusted = config.edge().trustedProxies().stream().map(Cidr::parse).toList();
            return new EdgeSnapshot(config, new ZoneTable(zones), TlsContexts.build(config), trusted);
        } catch (RuntimeException e) {
            zones.forEach(z -> z.origins().close());
            throw e;
        }
    }

    private static void closeSelectors(EdgeSnapshot s) {
        for (Zone z : s.zones().zones()) {
            try {
                z.origins().close();
            } catch (RuntimeException e) {
                log.warn("closing the origin pool of zone {} failed", z.id(), e);
            }
        }
    }

    private static List<String> listenerKeys(BulwarkConfig c) {
        return c.edge().listeners().stream().map(l -> l.name() + "=" + l.protocol() + "://" + l.address()).toList();
    }
}
