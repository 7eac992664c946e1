package dev.bulwark.bench.limit;

import dev.bulwark.core.limit.KeyHash;
import dev.bulwark.core.limit.SketchShape;
import dev.bulwark.core.limit.SlidingWindowEstimator;
import dev.bulwark.core.time.Clock;
import org.openjdk.jmh.annotations.*;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Sliding-window estimator: count a key and read its rate (the rate-limit hot path). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EstimatorBenchmark {
    @Param({"16384"})
    int width;

    SlidingWindowEstimator estimator;
    long[] keys;

    @State(Scope.Thread)
    public static class Cursor { int i; }

    @Setup
    public void setup() {
        estimator = new SlidingWindowEstimator(Duration.ofSeconds(10), new SketchShape(width, 4), Clock.SYSTEM);
        keys = new long[1 << 16];
        for (int i = 0; i < keys.length; i++) keys[i] = KeyHash.of((long) i);
    }

    @Benchmark
    public long observe(Cursor c) { return estimator.observe(keys[c.i++ & (keys.length - 1)], 1); }

    @Benchmark
    public long estimate(Cursor c) { return estimator.estimate(keys[c.i++ & (keys.length - 1)]); }

    @Benchmark
    public long hashAndObserve(Cursor c) { return estimator.observe(KeyHash.of((long) (c.i++ & 0xffff)), 1); }
}
