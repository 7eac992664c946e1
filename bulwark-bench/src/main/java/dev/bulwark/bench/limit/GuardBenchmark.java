package dev.bulwark.bench.limit;

import dev.bulwark.core.config.GuardConfig;
import dev.bulwark.core.limit.ConnectionGuard;
import dev.bulwark.core.limit.InMemoryBlocklist;
import dev.bulwark.core.limit.SketchShape;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.time.Clock;
import org.openjdk.jmh.annotations.*;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Connection guard at accept: admit + release of a normal client, and refusal of a banned one. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GuardBenchmark {
    ConnectionGuard guard;
    byte[][] clients;
    byte[] banned;

    @State(Scope.Thread)
    public static class Cursor { int i; }

    @Setup
    public void setup() {
        InMemoryBlocklist blocklist = new InMemoryBlocklist(1 << 16, Clock.SYSTEM);
        blocklist.ban(Cidr.parse("203.0.113.0/24"), Duration.ofHours(1), "bench");
        // rate caps high enough that the benchmark measures the decision, not refusals
        GuardConfig config = new GuardConfig(1000, 100_000, Integer.MAX_VALUE / 8, Integer.MAX_VALUE / 8, 1_000_000, null);
        guard = new ConnectionGuard(config, blocklist, SketchShape.DEFAULT, Clock.SYSTEM);
        clients = new byte[4096][];
        for (int i = 0; i < clients.length; i++) clients[i] = new byte[]{10, (byte) (i >>> 8), (byte) i, 1};
        banned = new byte[]{(byte) 203, 0, 113, 5};
    }

    @Benchmark
    public ConnectionGuard.Admission admitAndRelease(Cursor c) {
        byte[] a = clients[c.i++ & (clients.length - 1)];
        ConnectionGuard.Admission admission = guard.admit(a);
        if (admission.admitted()) guard.release(a);
        return admission;
    }

    @Benchmark
    public ConnectionGuard.Admission refuseBanned() { return guard.admit(banned); }
}
