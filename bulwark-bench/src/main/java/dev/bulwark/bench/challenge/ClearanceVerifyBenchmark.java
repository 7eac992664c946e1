package dev.bulwark.bench.challenge;

import dev.bulwark.core.challenge.ClearanceClaims;
import dev.bulwark.core.challenge.ClearanceVerifier;
import dev.bulwark.core.challenge.Clearances;
import dev.bulwark.core.challenge.InMemoryKeyRing;
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
 * Clearance cookie verification on the request path: find the cookie in a realistic Cookie
 * header, check the HMAC and the claims. Target: at least 200,000 verifications per second
 * per core (issue 4). {@code tampered} measures the cost of refusing a forged cookie, which
 * an attacker can make us do at will.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ClearanceVerifyBenchmark {
    private ClearanceVerifier verifier;
    private ClearanceClaims claims;
    private InetAddress client;
    private String header;
    private String tamperedHeader;
    private long now;
    private static final String UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    @Setup
    public void setup() throws Exception {
        InMemoryKeyRing ring = new InMemoryKeyRing(Clock.SYSTEM);
        ring.rotate(); // verify against a ring holding previous keys too, as in production
        verifier = new ClearanceVerifier(ring);
        claims = new ClearanceClaims();
        client = InetAddress.getByName("203.0.113.77");
        now = System.currentTimeMillis();
        String cookie = new Clearances(ring).issue("shop", client, UA, 2, Clearances.idFor(new byte[16]), now, Duration.ofMinutes(30));
        header = "_ga=GA1.2.1234567890.1700000000; theme=dark; " + Clearances.COOKIE_NAME + "=" + cookie + "; consent=yes";
        char[] t = cookie.toCharArray();
        t[40] = t[40] == 'A' ? 'B' : 'A';
        tamperedHeader = "theme=dark; " + Clearances.COOKIE_NAME + "=" + new String(t);
    }

    @Benchmark
    public int valid() {
        return verifier.verifyCookieHeader(header, "shop", client, UA, now, claims);
    }

    @Benchmark
    public int tampered() {
        return verifier.verifyCookieHeader(tamperedHeader, "shop", client, UA, now, claims);
    }
}
