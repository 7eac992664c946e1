package dev.bulwark.edge.zone;

import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.edge.upstream.Origin;
import dev.bulwark.edge.upstream.OriginPool;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One zone as the data plane holds it: its immutable config, its origin pool, the socket
 * address of each origin, and the count of its requests in flight (for max_concurrent_requests).
 *
 * <p>Origin names are resolved when the snapshot is built (like nginx, at load time, never on
 * an event loop); a reload resolves them again. A name that does not resolve stays unresolved
 * and requests to it get a 502.
 */
public final class Zone {
    private final ZoneConfig config;
    private final OriginPool origins;
    private final Map<String, InetSocketAddress> addresses;
    private final AtomicInteger inFlight;
    private final ZonePolicies policies;

    /** A zone without security policies (routing and limits only). */
    public Zone(ZoneConfig config, OriginPool origins, AtomicInteger inFlight) {
        this(config, origins, inFlight, ZonePolicies.none());
    }

    public Zone(ZoneConfig config, OriginPool origins, AtomicInteger inFlight, ZonePolicies policies) {
        this.config = config;
        this.origins = origins;
        this.inFlight = inFlight;
        this.policies = policies;
        Map<String, InetSocketAddress> a = new HashMap<>();
        for (Origin o : origins.origins()) a.put(o.id(), resolve(o));
        this.addresses = Map.copyOf(a);
    }

    public String id() { return config.id(); }

    public ZoneConfig config() { return config; }

    public OriginPool origins() { return origins; }

    /** Where to connect for {@code origin} (resolved at load time). */
    public InetSocketAddress address(Origin origin) {
        InetSocketAddress a = addresses.get(origin.id());
        return a != null ? a : InetSocketAddress.createUnresolved(origin.host(), origin.port());
    }

    /** The zone's compiled firewall rules, rate limiter and challenge settings. */
    public ZonePolicies policies() { return policies; }

    /** "Under attack" mode: switched on in the zone's config, or by its attack detector. */
    public boolean underAttack() { return config.challenge().underAttack() || policies.underAttack(); }

    /** Shared across reloads of the same zone id, so a reload does not reset the concurrency count. */
    public AtomicInteger inFlight() { return inFlight; }

    private static InetSocketAddress resolve(Origin o) {
        try {
            return new InetSocketAddress(InetAddress.getByName(o.host()), o.port());
        } catch (UnknownHostException e) {
            return InetSocketAddress.createUnresolved(o.host(), o.port());
        }
    }
}
