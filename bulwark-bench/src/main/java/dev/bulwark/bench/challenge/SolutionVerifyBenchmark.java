package dev.bulwark.bench.challenge;

import dev.bulwark.core.challenge.ChallengeToken;
import dev.bulwark.core.challenge.ChallengeTokens;
import dev.bulwark.core.challenge.InMemoryKeyRing;
import dev.bulwark.core.challenge.PowSolver;
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
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of the puzzle: checking a submitted solution (signature, claims, one
 * SHA-256) and issuing a fresh token for an interstitial. Both are what an attacker can
 * make the edge do per request, so both must stay far cheaper than solving.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SolutionVerifyBenchmark {
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    private ChallengeTokens tokens;
    private InetAddress client;
    private String token;
    private long counter;
    private long now;

    @Setup
    public void setup() throws Exception {
        tokens = new ChallengeTokens(new InMemoryKeyRing(Clock.SYSTEM));
        client = InetAddress.getByName("2001:db8:1:2::99");
        now = System.currentTimeMillis();
        token = tokens.issueProofOfWork("shop", client, UA, 16, Duration.ofMinutes(10), "GET", "/products?page=2&sort=price", now);
        ChallengeToken t = tokens.open(token);
        counter = PowSolver.solve(t.nonce(), t.difficulty());
    }

    @Benchmark
    public ChallengeTokens.Check verifySolution() {
        return tokens.verifySolution(token, counter, "shop", client, UA, now);
    }

    @Benchmark
    public String issueToken() {
        return tokens.issueProofOfWork("shop", client, UA, 16, Duration.ofMinutes(10), "GET", "/products?page=2&sort=price", now);
    }
}
