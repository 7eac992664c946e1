package dev.bulwark.bench.rules;

import dev.bulwark.core.rules.IpSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * An IP list of 1,000,000 entries (IPv4 addresses and /24s, one in ten IPv6 /48s): lookup
 * time for IPv4 and IPv6 addresses (target under 200 ns) and the time to load the list from
 * strings (target under 2 s).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class IpSetBenchmark {
    private static final int ENTRIES = 1_000_000;
    private static final int PROBES = 4096; // power of two

    private List<String> entries;
    private IpSet set;
    private InetAddress[] v4;
    private InetAddress[] v6;
    private int next;

    @Setup
    public void setup() throws Exception {
        entries = entries(ENTRIES, 11);
        set = IpSet.of(entries);
        Random rnd = new Random(5);
        v4 = new InetAddress[PROBES];
        v6 = new InetAddress[PROBES];
        for (int i = 0; i < PROBES; i++) {
            // half the probes are listed addresses, half random
            String e = entries.get(rnd.nextInt(ENTRIES));
            boolean hit = i % 2 == 0;
            v4[i] = hit && !e.contains(":") ? InetAddress.getByName(e.replace("/24", "")) : randomV4(rnd);
            byte[] a6 = new byte[16];
            rnd.nextBytes(a6);
            a6[0] = 0x20;
            a6[1] = 0x01;
            v6[i] = InetAddress.getByAddress(a6);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean lookupV4() { return set.contains(v4[next++ & (PROBES - 1)]); }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean lookupV6() { return set.contains(v6[next++ & (PROBES - 1)]); }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 5)
    public IpSet load1M() { return IpSet.of(entries); }

    static List<String> entries(int n, long seed) {
        Random rnd = new Random(seed);
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i % 10 == 9) {
                l.add("2001:" + Integer.toHexString(rnd.nextInt(65536)) + ":" + Integer.toHexString(rnd.nextInt(65536)) + "::/48");
            } else {
                int a = rnd.nextInt();
                l.add(((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255) + (i % 4 == 0 ? "/24" : ""));
            }
        }
        return l;
    }

    private static InetAddress randomV4(Random rnd) throws Exception {
        byte[] b = new byte[4];
        rnd.nextBytes(b);
        return InetAddress.getByAddress(b);
    }
}
