package dev.bulwark.edge;

import dev.bulwark.core.challenge.InMemoryKeyRing;
import dev.bulwark.core.limit.InMemoryBlocklist;
import dev.bulwark.core.limit.BoundedBanTable;
import dev.bulwark.core.limit.InMemorySharedCounters;
import dev.bulwark.core.limit.KeyBans;
import dev.bulwark.core.limit.SketchShape;
import dev.bulwark.core.spi.Blocklist;
import dev.bulwark.core.spi.KeyRing;
import dev.bulwark.core.spi.SharedCounters;
import dev.bulwark.core.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.bulwark.core.observe.AttackRecorder;
import dev.bulwark.core.observe.TrafficRecorder;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the edge needs from its host process: where metrics go, the clock, where each
 * access-log line (one JSON object per request) is delivered, and the state policies share
 * beyond one snapshot: the {@link KeyRing} that signs challenges and clearance cookies, the
 * {@link SharedCounters} rate limits count in, the {@link Blocklist} the connection guard
 * consults at accept, the {@link KeyBans} table rate limits ban tripped keys in, the
 * {@link TrafficRecorder} analytics counts finished requests in, and the
 * {@link AttackRecorder} the zones' attack detectors report their events to.
 * Left null, each takes its in-process default; cluster mode passes the
 * Redis implementations so several edge nodes share keys, counts and bans.
 */
public record EdgeServices(MeterRegistry meters, Clock clock, Consumer<String> accessLog,
                           KeyRing keyRing, SharedCounters counters, Blocklist blocklist, TrafficRecorder traffic,
                           KeyBans rateLimitBans, AttackRecorder attacks) {
    /** Keys a single-process blocklist holds before evicting the ban closest to expiry. */
    private static final int BLOCKLIST_CAPACITY = 1 << 16;
    /** Keys banned by rate-limit rules that one process remembers before evicting the soonest to expire. */
    public static final int BAN_TABLE_CAPACITY = 1 << 16;

    public EdgeServices {
        Objects.requireNonNull(meters, "meters");
        clock = clock == null ? Clock.SYSTEM : clock;
        accessLog = accessLog == null ? line -> { } : accessLog;
        keyRing = keyRing == null ? new InMemoryKeyRing(clock) : keyRing;
        counters = counters == null ? new InMemorySharedCounters(SketchShape.DEFAULT, clock) : counters;
        blocklist = blocklist == null ? new InMemoryBlocklist(BLOCKLIST_CAPACITY, clock) : blocklist;
        traffic = traffic == null ? TrafficRecorder.NONE : traffic;
        rateLimitBans = rateLimitBans == null ? new BoundedBanTable(BAN_TABLE_CAPACITY, clock) : rateLimitBans;
        attacks = attacks == null ? AttackRecorder.NONE : attacks;
    }

    /** Rate-limit bans in this process only, without attack reporting. */
    public EdgeServices(MeterRegistry meters, Clock clock, Consumer<String> accessLog,
                        KeyRing keyRing, SharedCounters counters, Blocklist blocklist, TrafficRecorder traffic) {
        this(meters, clock, accessLog, keyRing, counters, blocklist, traffic, null, null);
    }

    /** Without analytics: finished requests are not reported to a {@link TrafficRecorder}. */
    public EdgeServices(MeterRegistry meters, Clock clock, Consumer<String> accessLog,
                        KeyRing keyRing, SharedCounters counters, Blocklist blocklist) {
        this(meters, clock, accessLog, keyRing, counters, blocklist, null, null, null);
    }

    /** Meters, clock and access log; keys, counters and bans in memory. */
    public EdgeServices(MeterRegistry meters, Clock clock, Consumer<String> accessLog) {
        this(meters, clock, accessLog, null, null, null, null, null, null);
    }

    /** System clock, access log discarded. */
    public static EdgeServices defaults(MeterRegistry meters) {
        return new EdgeServices(meters, Clock.SYSTEM, null);
    }

    /** In-memory meters, system clock, no access log: for tests and tools. */
    public static EdgeServices quiet() {
        return defaults(new SimpleMeterRegistry());
    }

    public EdgeServices withKeyRing(KeyRing ring) {
        return new EdgeServices(meters, clock, accessLog, ring, counters, blocklist, traffic, rateLimitBans, attacks);
    }

    public EdgeServices withCounters(SharedCounters shared) {
        return new EdgeServices(meters, clock, accessLog, keyRing, shared, blocklist, traffic, rateLimitBans, attacks);
    }

    public EdgeServices withBlocklist(Blocklist bans) {
        return new EdgeServices(meters, clock, accessLog, keyRing, counters, bans, traffic, rateLimitBans, attacks);
    }

    /** Bans keys that trip a rate limit in {@code bans} (cluster mode: a table the fleet shares). */
    public EdgeServices withRateLimitBans(KeyBans bans) {
        return new EdgeServices(meters, clock, accessLog, keyRing, counters, blocklist, traffic, bans, attacks);
    }

    /** Reports every finished request to {@code recorder} (the control plane's analytics). */
    public EdgeServices withTraffic(TrafficRecorder recorder) {
        return new EdgeServices(meters, clock, accessLog, keyRing, counters, blocklist, recorder, rateLimitBans, attacks);
    }

    /** Reports every attack event's start, changes and end to {@code recorder} (the control plane's store). */
    public EdgeServices withAttacks(AttackRecorder recorder) {
        return new EdgeServices(meters, clock, accessLog, keyRing, counters, blocklist, traffic, rateLimitBans, recorder);
    }
}
