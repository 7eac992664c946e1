package dev.bulwark.core.ddos;

/**
 * What normal traffic of a zone looks like: exponentially weighted moving averages of request
 * rate, error ratio and distinct sources per tick, and the decaying mix of source networks,
 * paths, methods and user agents. The detector feeds it ticks it judges normal, and surges it
 * cannot tell from real visitors only at a rate capped to its threshold (see
 * {@link AttackDetector}), so an attack does not teach the baseline that floods are normal.
 */
public final class ZoneBaseline {
    private final double alpha;
    private double rate;
    private double errorRatio;
    private double distinctSources;
    private long ticks;
    final ValueMix sources = new ValueMix(64);
    final ValueMix paths = new ValueMix(64);
    final ValueMix methods = new ValueMix(16);
    final ValueMix agents = new ValueMix(64);

    /** @param alpha weight of each new tick, e.g. 1 − e^(−tick/τ) for a time constant τ */
    public ZoneBaseline(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) throw new IllegalArgumentException("baseline alpha must be in (0, 1], got " + alpha);
        this.alpha = alpha;
    }

    void learn(double tickRate, double tickErrorRatio, double tickDistinct, TrafficSampler.Samples s) {
        learn(tickRate, tickErrorRatio, tickDistinct, s, alpha);
    }

    /** As above with this tick's weight (larger while the detector warms up). */
    void learn(double tickRate, double tickErrorRatio, double tickDistinct, TrafficSampler.Samples s, double weight) {
        double a = ticks == 0 ? 1 : Math.max(alpha, Math.min(1, weight));
        rate += a * (tickRate - rate);
        errorRatio += a * (tickErrorRatio - errorRatio);
        distinctSources += a * (tickDistinct - distinctSources);
        ticks++;
        if (s.size == 0) return;
        sources.decay(1 - a); paths.decay(1 - a); methods.decay(1 - a); agents.decay(1 - a);
        double w = a / s.size;
        for (int i = 0; i < s.size; i++) {
            sources.add(s.source[i], null, w);
            paths.add(s.pathHash[i], null, w);
            methods.add(s.methodHash[i], null, w);
            agents.add(s.agentHash[i], null, w);
        }
    }

    /**
     * Takes {@code level} as the normal rate at once: visitors that passed a challenge showed the
     * surge is real (the path mix keeps learning at its usual pace).
     */
    void adopt(double level, double tickDistinct) {
        rate = level;
        distinctSources = Math.max(distinctSources, tickDistinct);
    }

    /** Requests per second. */
    public double rate() { return rate; }

    /** Share of requests answered 5xx. */
    public double errorRatio() { return errorRatio; }

    /** Distinct client addresses per tick. */
    public double distinctSources() { return distinctSources; }
}
