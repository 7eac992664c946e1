package dev.bulwark.edge.policy.accept;

import dev.bulwark.core.limit.ConnectionGuard;
import dev.bulwark.edge.proxy.EdgeRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;

/**
 * The accept step: asks the {@link ConnectionGuard} about each new connection before its
 * pipeline is built, so a banned or over-cap client is closed without a byte being read and
 * without TLS. An admitted connection is released exactly once, when it closes.
 *
 * <p>Trusted proxies (a load balancer in front of the edge) are not capped: they carry many
 * visitors, whose own addresses the request-level policies see.
 */
public final class AcceptGuard {
    private final ConnectionGuard guard;
    private final EdgeRuntime rt;
    private final Map<ConnectionGuard.Admission, Counter> refused = new EnumMap<>(ConnectionGuard.Admission.class);

    public AcceptGuard(ConnectionGuard guard, EdgeRuntime rt, MeterRegistry meters) {
        this.guard = guard;
        this.rt = rt;
        for (ConnectionGuard.Admission a : ConnectionGuard.Admission.values()) {
            if (a.admitted()) continue;
            refused.put(a, Counter.builder("bulwark.connections.refused").description("Connections closed at accept by the connection guard")
                    .tag("reason", a.name().toLowerCase(java.util.Locale.ROOT)).register(meters));
        }
    }

    /** True when the connection may go on; otherwise it has been closed. Call once, at accept. */
    public boolean admit(Channel ch) {
        if (!(ch.remoteAddress() instanceof InetSocketAddress remote) || remote.getAddress() == null) return true;
        if (rt.snapshot().isTrustedProxy(remote.getAddress())) return true;
        byte[] address = remote.getAddress().getAddress();
        ConnectionGuard.Admission a = guard.admit(address);
        if (!a.admitted()) {
            refused.get(a).increment();
            ch.config().setAutoRead(false);
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> guard.release(address));
        return true;
    }

    public ConnectionGuard guard() { return guard; }
}
