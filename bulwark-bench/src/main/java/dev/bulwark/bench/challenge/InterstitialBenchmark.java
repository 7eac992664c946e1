package dev.bulwark.bench.challenge;

import dev.bulwark.core.challenge.ChallengeEndpoints;
import dev.bulwark.core.challenge.ChallengeResponse;
import dev.bulwark.core.challenge.ChallengeRules;
import dev.bulwark.core.challenge.InMemoryKeyRing;
import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.request.SimpleRequestFacts;
import dev.bulwark.core.time.Clock;
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
import java.util.concurrent.TimeUnit;

/**
 * A whole challenge page as a flood makes the edge serve it: two signed tokens and the
 * branded HTML. Anyone can ask for this without solving anything, so it bounds how many
 * challenge answers per second a core can give before the challenge itself becomes the
 * bottleneck.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class InterstitialBenchmark {
    private ChallengeEndpoints endpoints;
    private ChallengeRules rules;
    private SimpleRequestFacts request;

    @Setup
    public void setup() throws Exception {
        endpoints = new ChallengeEndpoints(new InMemoryKeyRing(Clock.SYSTEM), Clock.SYSTEM);
        rules = ChallengeRules.compile(new ChallengeConfig(16, null, true, null, null, null,
                new ChallengeConfig.Branding("Acme", null, null, "#0f766e", "ACME")));
        request = new SimpleRequestFacts().client(InetAddress.getByName("198.51.100.9")).host("shop.example")
                .zone("shop", true).uri("/products?page=2&sort=price")
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0")
                .header("Accept", "text/html").header("Sec-Fetch-Mode", "navigate");
    }

    @Benchmark
    public ChallengeResponse interstitial() {
        return endpoints.interstitial(request, rules, 0, "req-0001");
    }

    @Benchmark
    public ChallengeResponse denied() {
        return endpoints.denied(request, "req-0001");
    }
}
