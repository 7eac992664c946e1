package dev.bulwark.bench.limit;

import dev.bulwark.core.limit.BoundedBanTable;
import dev.bulwark.core.limit.KeyHash;
import dev.bulwark.core.time.Clock;
import org.openjdk.jmh.annotations.*;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ban-table lookups: a banned key (the cheap-rejection path) and a key that is not banned. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BanTableBenchmark {
    BoundedBanTable table;
    long[] banned, clean;

    @State(Scope.Thread)
    public static class Cursor { int i; }

    @Setup
    public void setup() {
        table = new BoundedBanTable(1 << 16, Clock.SYSTEM);
        banned = new long[1 << 15];
        clean = new long[1 << 15];
        for (int i = 0; i < banned.length; i++) {
            banned[i] = KeyHash.of((long) i);
            clean[i] = KeyHash.of((long) -i - 1);
            table.ban(banned[i], Duration.ofHours(1));
        }
    }

    @Benchmark
    public boolean lookupBanned(Cursor c) { return table.isBanned(banned[c.i++ & (banned.length - 1)]); }

    @Benchmark
    public boolean lookupClean(Cursor c) { return table.isBanned(clean[c.i++ & (clean.length - 1)]); }

    @Benchmark
    public boolean ban(Cursor c) { return table.ban(clean[c.i++ & (clean.length - 1)], 1_000_000_000L, null); }
}
