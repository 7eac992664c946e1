package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.time.Clock;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The origins of one zone and the balancing strategy. Built once per config version from
 * {@link OriginPoolConfig}; immutable apart from each origin's health state.
 *
 * <p>Design: the config is turned into a fixed array of {@link Origin}s and one {@link Balancer} once, so a
 * pick does no parsing and takes no lock. Health lives in each origin's {@link OriginState}; a reload builds
 * a new pool and calls {@link #inheritFrom} so that origins with the same {@code host:port} keep their state
 * (ejections, probe streaks, requests in flight) instead of starting from healthy again.
 */
public final class OriginPool {
    private final OriginPoolConfig config;
    private final Origin[] origins;
    private final List<Origin> originList;
    private final Map<String, Origin> byId;
    private final Balancer balancer;

    private OriginPool(OriginPoolConfig config, Origin[] origins) {
        this.config = config;
        this.origins = origins;
        this.originList = List.of(origins);
        Map<String, Origin> ids = new HashMap<>();
        for (Origin o : origins) ids.put(o.id(), o);
        this.byId = Map.copyOf(ids);
        this.balancer = switch (config.balance()) {
            case ROUND_ROBIN -> new RoundRobinBalancer(origins);
            case WEIGHTED -> new WeightedBalancer(origins);
            case LEAST_OUTSTANDING -> new LeastOutstandingBalancer(origins);
        };
    }

    /** Builds a pool with fresh (healthy) origins; throws IllegalArgumentException on a bad origin list. */
    public static OriginPool of(OriginPoolConfig cfg, Clock clock) {
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(clock, "clock");
        if (cfg.servers().isEmpty()) throw new IllegalArgumentException("an origin pool needs at least one origin");
        Origin[] origins = new Origin[cfg.servers().size()];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < origins.length; i++) {
            Origin o = parse(cfg.servers().get(i), cfg, clock, new OriginState());
            Integer before = seen.putIfAbsent(o.id(), i);
            if (before != null) {
                throw new IllegalArgumentException("origin " + o.id() + " is listed twice (servers[" + before
                        + "] and servers[" + i + "])");
            }
            origins[i] = o;
        }
        return new OriginPool(cfg, origins);
    }

    private static Origin parse(OriginConfig oc, OriginPoolConfig cfg, Clock clock, OriginState state) {
        String url = oc.url();
        if (url == null || url.isBlank()) throw new IllegalArgumentException("origin url is required");
        URI u;
        try {
            u = new URI(url.trim());
        } catch (Exception e) {
            throw new IllegalArgumentException("'" + url + "' is not a valid origin URL", e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = switch (scheme) {
            case "http" -> false;
            case "https" -> true;
            default -> throw new IllegalArgumentException("origin url '" + url + "' must start with http:// or https://");
        };
        String host = u.getHost();
        if (host == null || host.isEmpty()) throw new IllegalArgumentException("origin url '" + url + "' needs a host");
        if (u.getRawUserInfo() != null) throw new IllegalArgumentException("origin url '" + url + "' must not carry credentials");
        String path = u.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("origin url '" + url + "' must be scheme://host[:port] only");
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = u.getPort() >= 0 ? u.getPort() : tls ? 443 : 80;
        if (port == 0) throw new IllegalArgumentException("origin url '" + url + "' has port 0");
        return new Origin(host.toLowerCase(Locale.ROOT), port, tls, oc.weight(), cfg.passive(), clock, state);
    }

    /**
     * The next available origin by the strategy, never {@code exclude} (a retry goes to another origin);
     * {@code null} when none is available, which the edge answers with 503.
     */
    public Origin pick(Origin exclude) { return balancer.pick(exclude, null); }

    /** The next available origin by the strategy; {@code null} when none is available. */
    public Origin pick() { return balancer.pick(null, null); }

    /** As {@link #pick(Origin)}, excluding every origin this request already tried (for a second retry). */
    public Origin pickExcluding(Collection<Origin> tried) { return balancer.pick(null, tried); }

    public List<Origin> origins() { return originList; }

    /** How many origins the pool has (available or not); bounds the attempts of one request. */
    public int size() { return origins.length; }

    /** The origin with this {@code host:port} id, or {@code null}. */
    public Origin origin(String id) { return byId.get(id); }

    public OriginPoolConfig config() { return config; }

    /** True when at least one origin is available now. */
    public boolean anyAvailable() {
        for (Origin o : origins) if (o.available()) return true;
        return false;
    }

    /**
     * Carries health state over from the previous version of the same zone's pool (origins with the same id
     * keep their health and counters) so a reload does not reset ejections. Returns a new pool; this one and
     * {@code previous} are unchanged. Settings (weight, passive thresholds, strategy) come from this pool.
     */
    public OriginPool inheritFrom(OriginPool previous) {
        if (previous == null || previous == this) return this;
        Origin[] merged = new Origin[origins.length];
        for (int i = 0; i < origins.length; i++) {
            Origin fresh = origins[i];
            Origin old = previous.byId.get(fresh.id());
            OriginState state = old != null && old.tls() == fresh.tls() ? old.state : fresh.state;
            merged[i] = state == fresh.state ? fresh
                    : parse(config.servers().get(i), config, fresh.clock(), state);
        }
        return new OriginPool(config, merged);
    }

    @Override public String toString() {
        List<String> names = new ArrayList<>(origins.length);
        for (Origin o : origins) names.add(o.toString());
        return "OriginPool{" + config.balance() + " " + names + "}";
    }
}
