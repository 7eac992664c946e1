package dev.bulwark.core.limit;

import dev.bulwark.core.spi.SharedCounters;
import dev.bulwark.core.time.Clock;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SharedCounters} for one process: one {@link SlidingWindowEstimator} per distinct period. */
public final class InMemorySharedCounters implements SharedCounters {
    private final SketchShape shape;
    private final Clock clock;
    private final ConcurrentHashMap<Duration, Window> windows = new ConcurrentHashMap<>();

    public InMemorySharedCounters(SketchShape shape, Clock clock) {
        this.shape = shape;
        this.clock = clock;
    }

    @Override
    public Window window(Duration period) {
        return windows.computeIfAbsent(period, p -> new EstimatorWindow(new SlidingWindowEstimator(p, shape, clock)));
    }

    private record EstimatorWindow(SlidingWindowEstimator estimator) implements Window {
        @Override public Duration period() { return estimator.period(); }
        @Override public long incrementAndGet(long keyHash, long delta) { return estimator.observe(keyHash, delta); }
        @Override public long get(long keyHash) { return estimator.estimate(keyHash); }
    }
}
