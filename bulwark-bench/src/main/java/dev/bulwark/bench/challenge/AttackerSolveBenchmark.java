package dev.bulwark.bench.challenge;

import dev.bulwark.core.challenge.PowSolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the proof of work costs a scripted attacker: solves per second one CPU core achieves
 * with a plain Java client (JDK SHA-256, intrinsics on), per difficulty. Each operation
 * solves a fresh random nonce, as every challenge token carries its own. Compare with the
 * median browser solve time from the Playwright run to see the cost asymmetry; multiply by
 * the attacker's cores for a botnet's budget.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AttackerSolveBenchmark {
    @Param({"12", "16", "18", "20", "22"})
    public int difficulty;

    private final SplittableRandom random = new SplittableRandom(42);
    private final byte[] nonce = new byte[16];

    @Benchmark
    public long solve() {
        random.nextBytes(nonce);
        return PowSolver.solve(nonce, difficulty);
    }
}
