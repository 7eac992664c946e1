package dev.bulwark.core.ddos;

import dev.bulwark.core.config.DdosConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.observe.AttackRecorder;
import dev.bulwark.core.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Automatic attack detection for one zone.
 *
 * <p>Design: the request path only records into a {@link TrafficSampler}; everything else runs
 * in {@link #tick()}, called every {@link DetectorSettings#tick()} (250 ms) by one scheduler
 * thread. Each tick measures the zone's request rate and 5xx ratio from the sampler's totals and
 * compares them with the {@link ZoneBaseline}: a rate above
 * {@code max(baseline × factor, baseline + minExcess)} — or above half that excess while the zone
 * answers 5xx to at least 20% (and 3× its usual share) of requests — for {@code confirmTicks}
 * ticks in a row is a departure. A {@link Signature} is derived from the samples of those ticks
 * (see {@link SignatureDeriver}); an {@link AttackEvent} opens when the departure is an attack:
 * <ul>
 *   <li>the signature separates something (published as a {@link MitigationRule} when automatic
 *       mitigation is on; with the defaults the rule is in place 500–750 ms after a flood starts),</li>
 *   <li>or the zone is failing (the origin shield is the defence then),</li>
 *   <li>or the traffic is concentrated: addresses repeat in the samples and each sends more than
 *       {@value #MAX_VISITOR_RATE} req/s and factor × the baseline's per-address rate (a flood
 *       the baseline learnt during a warm-up separates from nothing, yet it is no crowd),</li>
 *   <li>or the zone allows automatic "under attack" mode: challenging every visitor without
 *       clearance is the answer to a flood nothing separates.</li>
 * </ul>
 * Otherwise it is a <em>surge</em>: traffic that looks like the zone's visitors and that the
 * origin takes. No event opens (a surge is not reported, only logged and counted in
 * {@link #surges()}) and the baseline keeps learning, but each surge tick teaches it at most the
 * threshold's rate: the baseline then grows no faster than {@code (factor − 1) / τ} per second,
 * exactly what an attacker staying just under the threshold could already teach it, so a surge
 * cannot be used to train the baseline up faster. The signature is derived again on every surge
 * tick, so a flood that starts during a surge is caught at once.
 *
 * <p>After a fresh start, and when traffic returns after {@link DetectorSettings#idleFor()}
 * without a single request, the detector warms up: for {@link DetectorSettings#warmup()} of
 * traffic the baseline learns fast (τ = warmup / 5) and uncapped, only floods above
 * {@code minExcess × factor} count, and only those with a signature open an event.
 *
 * <p>While an event is open the baseline does not learn; the rule is re-derived (at most once a
 * second, also while the signature is still empty) if the flood changes shape and the rule stops
 * covering it (the derivation works on one tick's samples, so not on every tick: a small sample
 * can look skewed). An event whose signature stays empty ends early, as a surge, once for
 * {@link DetectorSettings#surgeFor()} the zone is not failing, the traffic is not concentrated and (under attack) the rate of
 * requests without clearance is back near baseline: the extra visitors passed the challenge, so
 * their level becomes the baseline at once. Any event ends, and the rule and "under attack" mode
 * go away, once the rate has stayed near baseline for {@link DetectorSettings#calmFor()}.
 *
 * <p>Readers on event loops use only the volatile {@link #activeRule()} and
 * {@link #underAttack()}; {@link #events()} is for the admin API. Each event is also reported to
 * the {@link AttackRecorder} (the control plane's store) from the ticking thread: when it opens,
 * when its signature or action changes or its peak grows by a tenth, and when it ends.
 */
public final class AttackDetector {
    private static final Logger log = LoggerFactory.getLogger(AttackDetector.class);
    private static final int HISTORY = 50;
    /** A peak this much above the last reported one is worth reporting again. */
    private static final double REPORT_GROWTH = 1.1;
    /** An error ratio this high (and 3× the baseline's) marks a zone as failing. */
    static final double ERROR_SURGE_MIN = 0.2, ERROR_SURGE_FACTOR = 3;
    /** Requests a tick needs before its error ratio means anything. */
    static final int MIN_ERROR_SAMPLE = 20;
    /**
     * Requests per second per client address above which traffic is not a crowd of visitors
     * (and factor × the baseline's own per-address rate), when addresses repeat at least
     * {@link #CONCENTRATED_REPEATS} times in a tick's samples on average.
     */
    static final double MAX_VISITOR_RATE = 20, CONCENTRATED_REPEATS = 4;

    private final String zoneId;
    private volatile DdosConfig config;
    private volatile DetectorSettings settings;
    private final TrafficSampler sampler;
    private final Clock clock;
    private final AttackRecorder recorder;
    private AttackEvent reported;
    private final ZoneBaseline baseline;
    private final SignatureDeriver deriver = new SignatureDeriver();
    private final DistinctCounter distinct = new DistinctCounter();
    private final TrafficSampler.Samples tickSamples;
    private final TrafficSampler.Samples attackSamples;
    private int calmTicksNeeded, surgeTicksNeeded, idleTicksNeeded;
    private long warmupTicks, warmupLeft;
    private final ArrayDeque<AttackEvent> history = new ArrayDeque<>();

    private volatile MitigationRule activeRule;
    private volatile boolean underAttack;
    private volatile AttackEvent current;

    private long lastTick = Long.MIN_VALUE;
    private long lastRequests, lastErrors;
    private TrafficSampler.Cursor cursor;
    private int hot, calm, sinceRederive, idle;
    private long sequence;
    private double peak, peakSources;
    /** Surge outside an event: whether one is going on, and calm ticks towards its end. */
    private boolean surging;
    private int surgeCalm;
    /** Inside an event with nothing to separate: ticks in a row that looked like real visitors, their rates summed. */
    private int visitorTicks;
    private double visitorRateSum;
    private long surges;

    public AttackDetector(String zoneId, DdosConfig config, DetectorSettings settings, TrafficSampler sampler, Clock clock) {
        this(zoneId, config, settings, sampler, clock, AttackRecorder.NONE);
    }

    /** As above, reporting every event's start, changes and end to {@code recorder}. */
    public AttackDetector(String zoneId, DdosConfig config, DetectorSettings settings, TrafficSampler sampler, Clock clock,
                          AttackRecorder recorder) {
        this.zoneId = zoneId;
        this.recorder = recorder == null ? AttackRecorder.NONE : recorder;
        this.config = config;
        this.settings = settings;
        this.sampler = sampler;
        this.clock = clock;
        this.baseline = new ZoneBaseline(settings.alpha());
        this.tickSamples = new TrafficSampler.Samples(sampler.capacity());
        this.attackSamples = new TrafficSampler.Samples(sampler.capacity() * 2);
        derive(settings);
        this.warmupLeft = warmupTicks;
    }

    /**
     * Applies a new configuration snapshot of the zone (sensitivity, action, automatic mode)
     * while keeping the learnt baseline and any ongoing event; the new action applies from the
     * next rule derived. Keep one detector per zone across snapshots and call this.
     */
    public synchronized void reconfigure(DdosConfig config, DetectorSettings settings) {
        this.config = config;
        this.settings = settings;
        derive(settings);
        if (!config.autoMitigate()) activeRule = null;
        if (!config.autoUnderAttack()) underAttack = false;
    }

    private void derive(DetectorSettings s) {
        this.calmTicksNeeded = s.ticks(s.calmFor());
        this.surgeTicksNeeded = s.ticks(s.surgeFor());
        this.idleTicksNeeded = s.ticks(s.idleFor());
        this.warmupTicks = Math.max(1, s.warmup().toNanos() / s.tick().toNanos());
    }

    /** The temporary rule for the ongoing attack, or null. */
    public MitigationRule activeRule() { return activeRule; }

    /** True while an attack is ongoing and the zone allows automatic "under attack" mode. */
    public boolean underAttack() { return underAttack; }

    public Optional<AttackEvent> current() { return Optional.ofNullable(current); }

    /** The ongoing event (if any) and the last finished ones, newest first. */
    public synchronized List<AttackEvent> events() {
        List<AttackEvent> out = new ArrayList<>();
        AttackEvent c = current;
        if (c != null) out.add(c);
        out.addAll(history);
        return out;
    }

    public ZoneBaseline baseline() { return baseline; }

    /** Surges seen so far: departures judged to be real visitors (not attacks), never reported as events. */
    public synchronized long surges() { return surges; }

    /** Looks at the traffic since the previous tick. Uses the real elapsed time, so late ticks are fine. */
    public synchronized void tick() {
        long now = clock.nanoTime();
        if (lastTick == Long.MIN_VALUE) {
            lastTick = now;
            lastRequests = sampler.requests();
            lastErrors = sampler.errors();
            cursor = sampler.cursor();
            return;
        }
        double dt = (now - lastTick) / 1e9;
        if (dt <= 0) return;
        lastTick = now;
        long requests = sampler.requests(), errors = sampler.errors();
        long n = requests - lastRequests;
        double rate = n / dt;
        double errorRatio = n > 0 ? (double) (errors - lastErrors) / n : 0;
        lastRequests = requests;
        lastErrors = errors;
        sampler.drain(cursor, tickSamples);
        distinct.clear();
        for (int i = 0; i < tickSamples.size; i++) distinct.add(tickSamples.address[i]);
        double sources = distinct.estimate();

        idle = n == 0 ? idle + 1 : 0;
        if (idle >= idleTicksNeeded && current == null) warmupLeft = warmupTicks; // learn afresh when traffic returns
        boolean warming = warmupLeft > 0;
        double base = baseline.rate();
        double threshold = warming
                ? Math.max(base * settings.factor(), settings.minExcess() * settings.factor())
                : Math.max(base * settings.factor(), base + settings.minExcess());

        // A smaller surge counts too when it makes the zone fail: floods aimed at expensive
        // endpoints hurt long before they double the request rate.
        double soft = base + (threshold - base) / 2;
        boolean failing = !warming && n >= MIN_ERROR_SAMPLE
                && errorRatio >= Math.max(ERROR_SURGE_MIN, ERROR_SURGE_FACTOR * baseline.errorRatio());
        boolean anomalous = rate > threshold || (failing && rate > soft);
        // A surge of visitors comes from many addresses; a few sending far more each than usual do not.
        boolean concentrated = sources > 0 && tickSamples.size >= CONCENTRATED_REPEATS * sources
                && rate / sources > Math.max(MAX_VISITOR_RATE, settings.factor() * base / Math.max(1, baseline.distinctSources()));

        if (current == null) {
            watch(anomalous, failing || concentrated, warming, rate, threshold, errorRatio, sources, n);
            return;
        }

        peak = Math.max(peak, rate);
        peakSources = Math.max(peakSources, sources);
        calm = rate <= soft ? calm + 1 : 0;
        if (calm >= calmTicksNeeded) {
            close();
            return;
        }
        underAttack = config.autoUnderAttack();
        AttackEvent e = current;
        Signature signature = e.signature();
        RateLimitRuleConfig.Action action = e.action();
        sinceRederive++;
        if (anomalous && config.autoMitigate() && activeRule == null && !signature.isEmpty()) {
            action = config.action(); // mitigation was switched on during the event
            activeRule = new MitigationRule(e.id(), signature, action);
        } else if (anomalous && sinceRederive >= 4 && (signature.isEmpty() || config.autoMitigate() && coverage(signature) < 0.5)) {
            Signature fresh = deriver.derive(tickSamples, rate, baseline);
            sinceRederive = 0;
            if (!fresh.isEmpty()) {
                signature = fresh;
                action = config.autoMitigate() ? config.action() : null;
                activeRule = action == null ? null : new MitigationRule(e.id(), signature, action);
            }
        }
        // Nothing separates it, the origin copes and (under attack) the extra visitors pass the
        // challenge: real visitors, whose level is the new normal once they proved it.
        // (Only while the traffic is still up: a flood that stops ends by calmFor, not as a surge.)
        // Under attack, visitors who passed the challenge carry clearance; bots that cannot stay without.
        boolean visitors = rate > soft && signature.isEmpty() && !failing && !concentrated
                && (!underAttack || rate * (1 - tickSamples.verifiedShare()) <= soft);
        visitorTicks = visitors ? visitorTicks + 1 : 0;
        visitorRateSum = visitors ? visitorRateSum + rate : 0;
        if (visitorTicks >= surgeTicksNeeded) {
            double level = visitorRateSum / visitorTicks;
            boolean verified = underAttack;
            close();
            surges++;
            surging = true; // the same surge goes on outside the event: not counted twice
            surgeCalm = 0;
            if (verified) baseline.adopt(level, sources);
            log.info("zone {}: event {} ended as a surge of real visitors at {} req/s ({}); baseline now {} req/s", zoneId, e.id(),
                    Math.round(level), verified ? "they passed the challenge" : "nothing separates them and the origin copes",
                    Math.round(baseline.rate()));
            return;
        }
        current = new AttackEvent(e.id(), zoneId, e.startMillis(), 0, peak, e.baselineRate(), peakSources, e.baselineSources(), signature, action);
        if (worthReporting(current)) report(current);
    }

    /**
     * A tick without an event: learn it, or tell an attack (open an event) from a surge (learn it,
     * capped). {@code suspect}: failing, or concentrated on few addresses; never a surge.
     */
    private void watch(boolean anomalous, boolean suspect, boolean warming, double rate, double threshold, double errorRatio,
                       double sources, long n) {
        if (!anomalous) {
            hot = 0;
            learn(rate, errorRatio, sources, n, warming);
            if (surging && ++surgeCalm >= calmTicksNeeded) {
                surging = false;
                log.info("zone {}: surge over, baseline now {} req/s", zoneId, Math.round(baseline.rate()));
            }
            return;
        }
        if (hot++ == 0 || attackSamples.room() < tickSamples.size()) attackSamples.clear();
        attackSamples.addAll(tickSamples);
        if (hot < settings.confirmTicks()) return;
        Signature signature = deriver.derive(attackSamples, rate, baseline);
        if (!signature.isEmpty() || suspect || (config.autoUnderAttack() && !warming)) {
            surging = false;
            open(signature, rate, baseline.rate(), sources);
            return;
        }
        surgeCalm = 0;
        if (!surging) {
            surging = true;
            surges++;
            log.info("zone {}: surge to {} req/s against a baseline of {} req/s; nothing separates it from the visitors and the origin copes:"
                    + " not an attack, learning it", zoneId, Math.round(rate), Math.round(baseline.rate()));
        }
        // Capped at the threshold: no faster than traffic just under it would teach the baseline.
        learn(warming ? rate : Math.min(rate, threshold), errorRatio, sources, n, warming);
        attackSamples.clear();
        attackSamples.addAll(tickSamples); // the next derivation sees this tick and the next one
    }

    private void learn(double rate, double errorRatio, double sources, long n, boolean warming) {
        baseline.learn(rate, errorRatio, sources, tickSamples, warming ? settings.warmupAlpha() : settings.alpha());
        if (warming && n > 0) warmupLeft--;
    }

    /**
     * Ends the ongoing event now, if any (the detector is being replaced or its zone removed), so
     * it is not left open in the history and the store.
     */
    public synchronized void end() {
        if (current != null) close();
    }

    private void open(Signature signature, double rate, double base, double sources) {
        long start = clock.currentTimeMillis();
        String id = zoneId + "-" + start + "-" + (++sequence);
        RateLimitRuleConfig.Action action = config.autoMitigate() && !signature.isEmpty() ? config.action() : null;
        peak = rate;
        peakSources = sources;
        calm = 0;
        hot = 0;
        sinceRederive = 0;
        visitorTicks = 0;
        visitorRateSum = 0;
        current = new AttackEvent(id, zoneId, start, 0, rate, base, sources, baseline.distinctSources(), signature, action);
        activeRule = action == null ? null : new MitigationRule(id, signature, action);
        underAttack = config.autoUnderAttack();
        report(current);
    }

    private void close() {
        AttackEvent e = current;
        AttackEvent done = new AttackEvent(e.id(), zoneId, e.startMillis(), clock.currentTimeMillis(), peak, e.baselineRate(),
                peakSources, e.baselineSources(), e.signature(), e.action());
        activeRule = null;
        underAttack = false;
        history.addFirst(done);
        while (history.size() > HISTORY) history.removeLast();
        current = null;
        calm = 0;
        visitorTicks = 0;
        visitorRateSum = 0;
        report(done);
    }

    private boolean worthReporting(AttackEvent e) {
        AttackEvent r = reported;
        return r == null || !r.id().equals(e.id()) || r.signature() != e.signature() || r.action() != e.action()
                || e.peakRate() >= r.peakRate() * REPORT_GROWTH || e.peakSources() >= r.peakSources() * REPORT_GROWTH;
    }

    private void report(AttackEvent e) {
        reported = e;
        try {
            recorder.report(e.record());
        } catch (RuntimeException ex) {
            log.warn("reporting attack event {} failed", e.id(), ex); // detection goes on regardless
        }
    }

    /** Share of this tick's samples the signature matches. */
    private double coverage(Signature signature) {
        if (tickSamples.size == 0) return 1;
        int matched = 0;
        for (int i = 0; i < tickSamples.size; i++) if (signature.matches(tickSamples, i)) matched++;
        return (double) matched / tickSamples.size;
    }
}
