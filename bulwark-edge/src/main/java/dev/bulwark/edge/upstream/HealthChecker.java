package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.HealthCheckConfig;
import dev.bulwark.core.time.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Active HTTP health checks for a set of pools, on a given Netty EventLoopGroup (non-blocking).
 *
 * <p>Design: each watched origin has one {@link Prober} pinned to one event loop of the group. A prober
 * runs one {@link HealthProbe} at a time and schedules the next one {@code interval} after the previous
 * finished, so a slow origin is never probed by overlapping connections. The first probe of each origin
 * starts at a random point within the first interval, which spreads the probes of many zones loaded at
 * once. Results go to {@link Origin#recordProbe}, which applies the healthy/unhealthy thresholds; this
 * class logs the transitions and exports per-origin gauges.
 *
 * <p>Call {@link #watch} for every zone, also when its active check is disabled: it registers the gauges
 * {@code bulwark_origin_healthy{zone,origin}} (1 when the origin is available: healthy and not ejected) and
 * {@code bulwark_origin_outstanding{zone,origin}}, and clears an unhealthy verdict left by an earlier config
 * whose check was enabled. {@code bulwark_health_probes_total{zone,origin,result}} counts probes.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7E]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final Clock clock;
    private final MeterRegistry meters;
    private final SslContext ssl;
    private final Map<String, Watch> watches = new HashMap<>(); // guarded by this; watch/unwatch are rare
    private boolean closed;

    public HealthChecker(EventLoopGroup group, Class<? extends Channel> channelType, Clock clock, MeterRegistry meters) {
        this(group, channelType, clock, meters, defaultClientTls());
    }

    /**
     * @param originTls client TLS context for {@code https} origins; pass the one the proxy uses for origin
     *                  connections so that probes and traffic agree on which certificates to trust
     */
    public HealthChecker(EventLoopGroup group, Class<? extends Channel> channelType, Clock clock, MeterRegistry meters,
                         SslContext originTls) {
        this.group = Objects.requireNonNull(group, "group");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.ssl = Objects.requireNonNull(originTls, "originTls");
    }

    private static SslContext defaultClientTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the default client TLS context for health checks", e);
        }
    }

    /**
     * Starts (or restarts) checking the pool of {@code zoneId}; replaces what was watched for that zone.
     * Watching the same pool with the same settings again changes nothing, so a reload that leaves a zone
     * alone does not restart its probes.
     */
    public synchronized void watch(String zoneId, OriginPool pool, HealthCheckConfig cfg) {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(cfg, "cfg");
        if (closed) throw new IllegalStateException("health checker is closed");
        validate(zoneId, cfg);
        Watch current = watches.get(zoneId);
        if (current != null && current.pool == pool && current.cfg.equals(cfg)) return; // unchanged by a reload
        Watch fresh = new Watch(zoneId, pool, cfg);
        Watch old = watches.put(zoneId, fresh);
        if (old != null) old.stop();
        fresh.start();
    }

    /** Stops checking the zone's pool and removes its gauges. */
    public synchronized void unwatch(String zoneId) {
        Watch old = watches.remove(zoneId);
        if (old != null) old.stop();
    }

    /** Zones watched now. */
    public synchronized Set<String> zones() { return Set.copyOf(watches.keySet()); }

    @Override
    public synchronized void close() {
        closed = true;
        for (String zone : List.copyOf(watches.keySet())) unwatch(zone);
    }

    private static void validate(String zoneId, HealthCheckConfig cfg) {
        if (!cfg.enabled()) return;
        String where = "zone " + zoneId + " health check: ";
        if (cfg.path() == null || !cfg.path().startsWith("/")) throw new IllegalArgumentException(where + "path must start with '/'");
        // Both go into the probe's request head verbatim: no room for spaces or line breaks.
        if (!PATH.matcher(cfg.path()).matches()) {
            throw new IllegalArgumentException(where + "path must be visible ASCII without spaces, got '" + cfg.path() + "'");
        }
        if (cfg.host() != null && !HOST.matcher(cfg.host()).matches()) {
            throw new IllegalArgumentException(where + "host must be a host name or address, got '" + cfg.host() + "'");
        }
        if (cfg.interval().toMillis() < 1) throw new IllegalArgumentException(where + "interval must be at least 1 ms");
        if (cfg.timeout().toMillis() < 1) throw new IllegalArgumentException(where + "timeout must be at least 1 ms");
        if (cfg.healthyThreshold() < 1 || cfg.unhealthyThreshold() < 1) {
            throw new IllegalArgumentException(where + "thresholds must be at least 1");
        }
        if (cfg.expectStatusMin() > cfg.expectStatusMax()) {
            throw new IllegalArgumentException(where + "expected status range is empty");
        }
    }

    /** Everything watched for one zone: its probers and its meters. */
    private final class Watch {
        final String zoneId;
        final OriginPool pool;
        final HealthCheckConfig cfg;
        final List<Prober> probers = new ArrayList<>();
        final List<Meter> registered = new ArrayList<>();

        Watch(String zoneId, OriginPool pool, HealthCheckConfig cfg) {
            this.zoneId = zoneId;
            this.pool = pool;
            this.cfg = cfg;
        }

        void start() {
            for (Origin o : pool.origins()) {
                registered.add(Gauge.builder("bulwark.origin.healthy", o, x -> x.available() ? 1 : 0)
                        .description("1 when the origin takes traffic: healthy by active checks and not ejected")
                        .tag("zone", zoneId).tag("origin", o.id()).strongReference(true).register(meters));
                registered.add(Gauge.builder("bulwark.origin.outstanding", o, Origin::outstanding)
                        .description("requests in flight to the origin")
                        .tag("zone", zoneId).tag("origin", o.id()).strongReference(true).register(meters));
                if (cfg.enabled()) {
                    Prober p = new Prober(this, o, group.next());
                    probers.add(p);
                    p.scheduleFirst();
                } else {
                    o.resetActive();
                }
            }
            if (cfg.enabled()) {
                log.info("zone {}: health checks of {} origin(s) every {} ms, GET {}", zoneId, probers.size(),
                        cfg.interval().toMillis(), cfg.path());
            }
        }

        void stop() {
            for (Prober p : probers) p.stop();
            for (Meter m : registered) meters.remove(m);
        }
    }

    /** Probes one origin, one probe at a time, on one event loop. */
    private final class Prober {
        final Watch watch;
        final Origin origin;
        final EventLoop loop;
        final Counter successes;
        final Counter failures;
        volatile boolean stopped;
        volatile ScheduledFuture<?> next;

        Prober(Watch watch, Origin origin, EventLoop loop) {
            this.watch = watch;
            this.origin = origin;
            this.loop = loop;
            this.successes = probeCounter(watch.zoneId, origin, "success");
            this.failures = probeCounter(watch.zoneId, origin, "failure");
            watch.registered.add(successes);
            watch.registered.add(failures);
        }

        void scheduleFirst() {
            long intervalMillis = watch.cfg.interval().toMillis();
            schedule(ThreadLocalRandom.current().nextLong(Math.max(1, intervalMillis)));
        }

        private void schedule(long delayMillis) {
            if (stopped) return;
            try {
                next = loop.schedule(this::probe, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                stopped = true; // the event loop group is shutting down
            }
            if (stopped && next != null) next.cancel(false);
        }

        private void probe() {
            if (stopped) return;
            HealthProbe.start(loop, channelType, ssl, origin, watch.cfg, clock, this::onResult);
        }

        private void onResult(ProbeResult r) {
            if (stopped) return;
            (r.success() ? successes : failures).increment();
            HealthCheckConfig cfg = watch.cfg;
            Boolean change = origin.recordProbe(r, cfg.healthyThreshold(), cfg.unhealthyThreshold());
            if (change == Boolean.FALSE) {
                log.warn("zone {}: origin {} marked DOWN after {} failed health check(s): {}", watch.zoneId, origin.id(),
                        cfg.unhealthyThreshold(), r.reason());
            } else if (change == Boolean.TRUE) {
                log.info("zone {}: origin {} marked UP after {} successful health check(s) (status {})", watch.zoneId,
                        origin.id(), cfg.healthyThreshold(), r.status());
            } else if (!r.success() && log.isDebugEnabled()) {
                log.debug("zone {}: health check of {} failed: {}", watch.zoneId, origin.id(), r.reason());
            }
            schedule(cfg.interval().toMillis());
        }

        void stop() {
            stopped = true;
            var f = next;
            if (f != null) f.cancel(false);
        }
    }

    private Counter probeCounter(String zoneId, Origin o, String result) {
        return Counter.builder("bulwark.health.probes")
                .description("active health probes by result")
                .tag("zone", zoneId).tag("origin", o.id()).tag("result", result)
                .register(meters);
    }
}
