package dev.bulwark.edge.proxy;

import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.observe.EdgeMetrics;
import io.netty.channel.group.ChannelGroup;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The long-lived parts every connection shares: services, meters, the current snapshot, the
 * upstream connection pool, the phase runner, the set of client connections, and whether the
 * edge is draining for shutdown.
 */
public final class EdgeRuntime {
    private final EdgeServices services;
    private final EdgeMetrics metrics;
    private final AtomicReference<EdgeSnapshot> snapshot;
    private final OriginConnections connections;
    private final PhaseRunner runner;
    private final ChannelGroup clients;
    private volatile boolean draining;

    public EdgeRuntime(EdgeServices services, EdgeMetrics metrics, EdgeSnapshot initial, OriginConnections connections,
                       java.util.function.Function<EdgeRuntime, PhaseRunner> runner, ChannelGroup clients) {
        this.services = services;
        this.metrics = metrics;
        this.snapshot = new AtomicReference<>(initial);
        this.connections = connections;
        this.clients = clients;
        this.runner = runner.apply(this);
    }

    public EdgeServices services() { return services; }

    public EdgeMetrics metrics() { return metrics; }

    public EdgeSnapshot snapshot() { return snapshot.get(); }

    /** Installs a new snapshot; returns the one it replaced. */
    public EdgeSnapshot swap(EdgeSnapshot next) { return snapshot.getAndSet(next); }

    public OriginConnections connections() { return connections; }

    public PhaseRunner runner() { return runner; }

    public ChannelGroup clients() { return clients; }

    public boolean draining() { return draining; }

    public void startDraining() { draining = true; }
}
