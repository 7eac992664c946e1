package dev.bulwark.edge.policy;

import dev.bulwark.core.challenge.ChallengeEndpoints;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.ddos.AttackEvent;
import dev.bulwark.core.limit.KeyBans;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.policy.ddos.ZoneDefense;
import dev.bulwark.edge.policy.firewall.RuleMatchMeters;
import dev.bulwark.edge.zone.Zone;
import dev.bulwark.edge.zone.ZoneTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The security-policy state of the whole edge, which outlives any one config snapshot:
 * the challenge endpoints (signing with the edge's {@code KeyRing}), the table of keys banned
 * by rate limits, the per-rule match meters, and each zone's attack detector with the thread
 * that ticks them.
 *
 * <p>Rate-limit counters ({@code EdgeServices.counters()}) and bans are shared by every zone
 * (each key is seeded with zone and rule id), so a reload that rebuilds a zone's rate limiter
 * keeps its counts and bans: an attacker gains nothing from the operator editing a rule. A
 * zone's detector keeps its learned baseline across reloads unless its ddos settings change.
 */
public final class EdgePolicies implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgePolicies.class);
    /** How often every detector looks at its zone's samples. */
    public static final Duration TICK = Duration.ofMillis(250);

    private final EdgeServices services;
    private final ChallengeEndpoints endpoints;
    private final KeyBans bans;
    private final RuleMatchMeters ruleMeters;
    private final ConcurrentHashMap<String, ZoneDefense> defenses = new ConcurrentHashMap<>();
    /** Per zone, the attack event last logged as open (touched only by the ticking thread). */
    private final Map<String, String> announced = new ConcurrentHashMap<>();
    private ScheduledExecutorService ticker;

    public EdgePolicies(EdgeServices services) {
        this.services = services;
        this.endpoints = new ChallengeEndpoints(services.keyRing(), services.clock());
        this.bans = services.rateLimitBans();
        this.ruleMeters = new RuleMatchMeters(services.meters());
    }

    public EdgeServices services() { return services; }

    public ChallengeEndpoints endpoints() { return endpoints; }

    public KeyBans bans() { return bans; }

    public RuleMatchMeters ruleMeters() { return ruleMeters; }

    /** The zone's detector: the running one when its ddos settings are unchanged, else a new one (the old one's event ends). */
    public ZoneDefense defense(ZoneConfig zone) {
        return defenses.compute(zone.id(), (id, d) -> {
            if (d != null && d.config().equals(zone.ddos())) return d;
            if (d != null) d.detector().end();
            return ZoneDefense.create(id, zone.ddos(), services.clock(), services.attacks());
        });
    }

    /** The detector of a live zone, or null. */
    public ZoneDefense defense(String zoneId) { return defenses.get(zoneId); }

    /** Every zone's ongoing and recent attack events, newest first (for the admin API and CLI). */
    public Map<String, List<AttackEvent>> attackEvents() {
        Map<String, List<AttackEvent>> out = new LinkedHashMap<>();
        defenses.forEach((zone, d) -> out.put(zone, d.detector().events()));
        return out;
    }

    /** Called once a snapshot is live: meters follow its rules; detectors of removed zones stop. */
    public void installed(ZoneTable zones) {
        for (Zone z : zones.zones()) ruleMeters.track(z.id(), z.policies().firewall());
        Set<String> live = zones.zones().stream().map(Zone::id).collect(Collectors.toSet());
        defenses.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) return false;
            e.getValue().detector().end();
            return true;
        });
    }

    /** Runs one detector tick for every zone now (the ticker does this every {@link #TICK}). */
    public void tickDetectors() {
        defenses.forEach((zone, d) -> {
            try {
                d.detector().tick();
                announce(zone, d);
            } catch (RuntimeException e) {
                log.warn("attack detector tick failed", e);
            }
        });
    }

    /** Logs when a zone's attack event opens and when it ends, so the operator sees it without asking. */
    private void announce(String zone, ZoneDefense d) {
        AttackEvent e = d.detector().current().orElse(null);
        String last = announced.get(zone);
        if (e != null && !e.id().equals(last)) {
            announced.put(zone, e.id());
            log.warn("attack on zone {}: event {} opened at {} req/s (baseline {} req/s, {} sources), signature {}, action {}",
                    zone, e.id(), Math.round(e.peakRate()), Math.round(e.baselineRate()), Math.round(e.peakSources()), e.signature(),
                    e.action() == null ? "none (log only)" : e.action().name().toLowerCase(java.util.Locale.ROOT));
        } else if (e == null && last != null) {
            announced.remove(zone);
            log.info("attack on zone {}: event {} ended", zone, last);
        }
    }

    /** Starts the one thread that ticks every zone's detector. */
    public synchronized void startTicking() {
        if (ticker != null) return;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulwark-attack-detector");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tickDetectors, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void close() {
        if (ticker != null) ticker.shutdownNow();
        ticker = null;
        // the node is stopping: ongoing events end now rather than stay open in the store
        for (ZoneDefense d : defenses.values()) d.detector().end();
    }
}
