package dev.bulwark.bench.limit;

import dev.bulwark.core.config.DdosConfig;
import dev.bulwark.core.ddos.AttackDetector;
import dev.bulwark.core.ddos.DetectorSettings;
import dev.bulwark.core.ddos.MitigationRule;
import dev.bulwark.core.ddos.TrafficSampler;
import dev.bulwark.core.request.SimpleRequestFacts;
import dev.bulwark.core.time.Clock;
import org.openjdk.jmh.annotations.*;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * What automatic attack detection costs each request: recording into the zone's sampler (the
 * logging phase) and, during an attack, matching the temporary rule (the firewall phase). The
 * detector's tick runs off the request path and is measured once per call of {@code tick}.
 * Run {@code record} with {@code -t 2} (or more) to see what writers on several cores cost each
 * other; {@code -p stripes=1} gives the sampler one ring shared by every thread, for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AttackPathBenchmark {
    /** The sampler's stripes (its default is {@link TrafficSampler#DEFAULT_STRIPES}). */
    @Param({"4"})
    int stripes;
    TrafficSampler sampler;
    AttackDetector detector;
    SimpleRequestFacts[] requests;

    @State(Scope.Thread)
    public static class Cursor { int i; }

    @Setup
    public void setup() throws Exception {
        sampler = new TrafficSampler(8192, stripes);
        DdosConfig config = DdosConfig.defaults();
        detector = new AttackDetector("bench", config, DetectorSettings.of(config), sampler, Clock.SYSTEM);
        requests = new SimpleRequestFacts[1024];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new SimpleRequestFacts().client(InetAddress.getByAddress(new byte[]{10, 1, (byte) (i >>> 4), (byte) i}))
                    .uri("/page/" + (i % 16)).header("user-agent", "agent-" + (i % 4));
        }
        detector.tick();
    }

    @Benchmark
    public void record(Cursor c) { sampler.record(requests[c.i++ & (requests.length - 1)], 200); }

    @Benchmark
    public boolean checkActiveRuleInCalmTimes(Cursor c) {
        MitigationRule rule = detector.activeRule();
        return rule != null && rule.matches(requests[c.i++ & (requests.length - 1)]);
    }

    @Benchmark
    public void tick() { detector.tick(); }
}
