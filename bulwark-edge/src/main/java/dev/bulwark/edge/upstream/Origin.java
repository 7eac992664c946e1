package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.PassiveHealthConfig;
import dev.bulwark.core.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One origin server of a zone. Thread-safe; shared by all event loops.
 *
 * <p>An origin is <em>available</em> when the active health check holds it healthy and passive health has
 * not ejected it. Passive health counts failures in a row ({@link #onRequestEnd(boolean) onRequestEnd(false)},
 * {@link #onConnectFailure()}); at {@code consecutiveFailures} the origin is ejected for the configured
 * ejection time. When that time is over the origin takes traffic again on probation: one more failure ejects
 * it again at once, for twice as long each time in a row (at most {@value #MAX_EJECTION_MULTIPLIER} times the
 * base), while one success ends probation. This keeps a dead origin from taking a full failure streak of
 * visitors' requests every ejection period.
 *
 * <p>How the proxy reports to an origin, per attempt of a request:
 * <pre>
 *   Origin o = pool.pick(previousAttemptOrNull);    // null: answer 503
 *   o.onRequestStart();                             // exactly one onRequestEnd follows
 *   ... connect, send, stream the response ...
 *   o.onRequestEnd(ok);                             // false: refused, reset, timed out, malformed answer
 * </pre>
 * {@link #onConnectFailure()} is for a failed connect that no {@code onRequestStart} paired with (a pool
 * warming connections, say); after {@code onRequestStart} report the failure through {@code onRequestEnd(false)}
 * only, or it counts twice.
 */
public final class Origin {
    private static final Logger log = LoggerFactory.getLogger(Origin.class);
    static final int MAX_EJECTION_MULTIPLIER = 8;

    private final String host;
    private final int port;
    private final boolean tls;
    private final int weight;
    private final String id;
    private final String poolKey;
    private final int failureThreshold;
    private final long ejectionNanos;
    private final Clock clock;
    final OriginState state;

    Origin(String host, int port, boolean tls, int weight, PassiveHealthConfig passive, Clock clock, OriginState state) {
        if (weight < 1) throw new IllegalArgumentException("origin weight must be at least 1, got " + weight);
        if (passive.consecutiveFailures() < 1) throw new IllegalArgumentException("consecutive failures must be at least 1");
        if (passive.ejection().isNegative() || passive.ejection().isZero()) {
            throw new IllegalArgumentException("ejection time must be positive");
        }
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.weight = weight;
        this.id = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        this.poolKey = (tls ? "https://" : "http://") + id;
        this.failureThreshold = passive.consecutiveFailures();
        this.ejectionNanos = passive.ejection().toNanos();
        this.clock = clock;
        this.state = state;
    }

    public String host() { return host; }
    public int port() { return port; }
    public boolean tls() { return tls; }
    Clock clock() { return clock; }
    public int weight() { return weight; }
    /** {@code host:port} ({@code [v6]:port}); unique within a pool and stable across reloads. */
    public String id() { return id; }

    /** Scheme and address: connections to equal keys are interchangeable, across reloads too. Built once (hot path). */
    public String poolKey() { return poolKey; }

    /** Healthy by the active check and not passively ejected (reads the clock only while ejected). */
    public boolean available() {
        OriginState s = state;
        if (!s.healthy) return false;
        if (!s.ejected) return true;
        if (clock.nanoTime() - s.ejectedUntilNanos < 0) return false;
        endEjection();
        return true;
    }

    /** Healthy by the active check (ignores passive ejection). */
    public boolean healthy() { return state.healthy; }

    /** Passively ejected right now. */
    public boolean ejected() { return state.ejected && clock.nanoTime() - state.ejectedUntilNanos < 0; }

    public int outstanding() { return state.outstanding.get(); }

    public void onRequestStart() { state.outstanding.incrementAndGet(); }

    /**
     * A request to this origin finished (pairs with {@link #onRequestStart()}). {@code success} ends a failure
     * streak and probation; a failure extends the streak. A failure is the origin's fault: the connection
     * reset or closed early, a timeout, a malformed response; whether a 5xx answer counts is the caller's call.
     */
    public void onRequestEnd(boolean success) {
        state.outstanding.decrementAndGet();
        if (success) onSuccess(); else onFailure();
    }

    /**
     * A connection to this origin could not be made outside a started request; counts as a failure for
     * passive ejection and leaves {@link #outstanding()} alone.
     */
    public void onConnectFailure() { onFailure(); }

    private void onSuccess() {
        OriginState s = state;
        if (s.consecutiveFailures.get() != 0) s.consecutiveFailures.set(0);
        if (s.probation) {
            synchronized (s) {
                // A request that started before an ejection and ends during it proves nothing.
                if (s.probation && !(s.ejected && clock.nanoTime() - s.ejectedUntilNanos < 0)) {
                    s.probation = false;
                    s.ejectionStreak = 0;
                    log.info("origin {} recovered: success on probation", id);
                }
            }
        }
    }

    private void onFailure() {
        OriginState s = state;
        // Failures of requests that were already running when the origin was ejected change nothing.
        if (s.ejected && clock.nanoTime() - s.ejectedUntilNanos < 0) return;
        int streak = s.consecutiveFailures.incrementAndGet();
        if (streak >= failureThreshold || s.probation) eject(streak);
    }

    private void eject(int streak) {
        OriginState s = state;
        synchronized (s) {
            long now = clock.nanoTime();
            if (s.ejected && now - s.ejectedUntilNanos < 0) return; // another thread ejected first
            long duration = ejectionNanos * Math.min(1L << Math.min(s.ejectionStreak, 30), MAX_EJECTION_MULTIPLIER);
            s.ejectedUntilNanos = now + duration;
            s.ejected = true;
            s.probation = true;
            s.ejectionStreak++;
            s.consecutiveFailures.set(0);
            log.warn("origin {} ejected for {} ms after {} consecutive failure(s){}", id, duration / 1_000_000L, streak,
                    s.ejectionStreak > 1 ? " (ejection " + s.ejectionStreak + " in a row)" : "");
        }
    }

    private void endEjection() {
        OriginState s = state;
        synchronized (s) {
            if (s.ejected && clock.nanoTime() - s.ejectedUntilNanos >= 0) {
                s.ejected = false;
                log.info("origin {} back on probation after ejection", id);
            }
        }
    }

    /**
     * Records one active probe result; returns the new verdict if it changed, else {@code null}.
     * Called by {@link HealthChecker} only; probes of one origin never overlap.
     */
    Boolean recordProbe(ProbeResult probe, int healthyThreshold, int unhealthyThreshold) {
        OriginState s = state;
        s.lastProbe = probe;
        boolean success = probe.success();
        synchronized (s) {
            if (success) {
                s.probeFailures = 0;
                s.probeSuccesses++;
                if (!s.healthy && s.probeSuccesses >= healthyThreshold) {
                    s.healthy = true;
                    return Boolean.TRUE;
                }
            } else {
                s.probeSuccesses = 0;
                s.probeFailures++;
                if (s.healthy && s.probeFailures >= unhealthyThreshold) {
                    s.healthy = false;
                    return Boolean.FALSE;
                }
            }
            return null;
        }
    }

    /** The latest active probe of this origin, or null. */
    ProbeResult lastProbe() { return state.lastProbe; }

    /** Active checks were turned off: the origin is judged by passive health alone. */
    void resetActive() {
        OriginState s = state;
        synchronized (s) {
            s.probeFailures = 0;
            s.probeSuccesses = 0;
            if (!s.healthy) {
                s.healthy = true;
                log.info("origin {} marked healthy: active health check disabled", id);
            }
        }
    }

    @Override public String toString() {
        return (tls ? "https://" : "http://") + id + (weight != 1 ? " weight=" + weight : "");
    }
}
