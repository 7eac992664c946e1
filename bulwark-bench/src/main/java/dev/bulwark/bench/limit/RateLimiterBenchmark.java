package dev.bulwark.bench.limit;

import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.limit.RateLimitDecision;
import dev.bulwark.core.limit.RateLimiter;
import dev.bulwark.core.request.SimpleRequestFacts;
import dev.bulwark.core.time.Clock;
import org.openjdk.jmh.annotations.*;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A zone's rate-limit decision for one request: an allowed client (counted) and a banned one
 * (refused from the ban table without counting — the cheap-rejection path).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RateLimiterBenchmark {
    RateLimiter limiter;
    SimpleRequestFacts[] allowed;
    SimpleRequestFacts banned;

    @State(Scope.Thread)
    public static class Cursor { int i; }

    @Setup
    public void setup() throws Exception {
        List<RateLimitRuleConfig> rules = List.of(
                new RateLimitRuleConfig("per-ip", null, null, List.of("ip.src"), Duration.ofSeconds(10), 1_000_000_000L,
                        RateLimitRuleConfig.Action.BLOCK, Duration.ofMinutes(10), null),
                new RateLimitRuleConfig("per-ip-path", null, null, List.of("ip.src", "http.request.uri.path"), Duration.ofMinutes(1), 1_000_000_000L,
                        RateLimitRuleConfig.Action.BLOCK, Duration.ofMinutes(10), null),
                new RateLimitRuleConfig("flooder", null, "flooder", List.of("ip.src"), Duration.ofMinutes(1), 1L,
                        RateLimitRuleConfig.Action.BLOCK, Duration.ofHours(1), null));
        limiter = RateLimiter.inMemory("bench", rules, expr -> r -> r.clientAddress().getAddress()[0] == (byte) 203, Clock.SYSTEM);
        allowed = new SimpleRequestFacts[4096];
        for (int i = 0; i < allowed.length; i++) {
            allowed[i] = new SimpleRequestFacts().client(InetAddress.getByAddress(new byte[]{10, (byte) (i >>> 8), (byte) i, 1}))
                    .host("shop.example").uri(i % 2 == 0 ? "/" : "/products/42");
        }
        banned = new SimpleRequestFacts().client(InetAddress.getByName("203.0.113.5")).host("shop.example").uri("/login");
        limiter.check(banned);
        limiter.check(banned);
    }

    @Benchmark
    public RateLimitDecision allowed(Cursor c) { return limiter.check(allowed[c.i++ & (allowed.length - 1)]); }

    @Benchmark
    public RateLimitDecision refusedFromBan() { return limiter.check(banned); }
}
