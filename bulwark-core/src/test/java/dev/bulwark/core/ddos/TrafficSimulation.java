package dev.bulwark.core.ddos;

import dev.bulwark.core.config.DdosConfig;
import dev.bulwark.core.request.SimpleRequestFacts;
import dev.bulwark.core.time.ManualClock;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import java.util.function.Function;

/** Drives a sampler and a detector through simulated time: requests spread over each tick, then a tick. */
final class TrafficSimulation {
    static final String[] PATHS = {"/", "/", "/", "/products", "/products", "/cart", "/about", "/search", "/blog/1", "/blog/2",
            "/blog/3", "/static/app.js", "/static/app.css", "/login", "/account", "/help", "/contact", "/api/items", "/api/items", "/img/logo.png"};
    static final String[] AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Firefox/131.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) Mobile Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile"};

    final ManualClock clock = new ManualClock();
    final TrafficSampler sampler = new TrafficSampler(8192);
    final AttackDetector detector;
    final Random random = new Random(42);
    private final long tickMillis;

    TrafficSimulation(DdosConfig config) {
        this(config, null);
    }

    TrafficSimulation(DdosConfig config, dev.bulwark.core.observe.AttackRecorder recorder) {
        this.detector = new AttackDetector("shop", config, DetectorSettings.of(config), sampler, clock, recorder);
        this.tickMillis = 250;
        detector.tick();
    }

    /** A normal visitor: one of 1,000 addresses in 50 networks, skewed paths, mostly GET, browser agents. */
    SimpleRequestFacts normal() {
        byte[] a = {(byte) 198, 51, (byte) random.nextInt(50), (byte) (1 + random.nextInt(20))};
        return facts(a, random.nextInt(10) == 0 ? "POST" : "GET", PATHS[random.nextInt(PATHS.length)], AGENTS[random.nextInt(AGENTS.length)]);
    }

    static SimpleRequestFacts facts(byte[] address, String method, String path, String agent) {
        return new SimpleRequestFacts().client(address(address)).method(method).uri(path).header("user-agent", agent).host("shop.example");
    }

    static InetAddress address(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code millis} of simulated time: per tick, {@code normalRate} normal requests/s
     * (±10% jitter) plus {@code attackRate} requests/s from {@code attacker}; ticks the detector.
     * Stops early and returns the elapsed millis when {@code until} becomes true after a tick, else -1.
     */
    long run(long millis, double normalRate, double attackRate, Function<Random, SimpleRequestFacts> attacker,
             java.util.function.BooleanSupplier until) {
        return run(millis, normalRate, attackRate, attacker, until, 200);
    }

    /** As above; attack requests are answered with {@code attackStatus} (e.g. 503 when they overload the origin). */
    long run(long millis, double normalRate, double attackRate, Function<Random, SimpleRequestFacts> attacker,
             java.util.function.BooleanSupplier until, int attackStatus) {
        for (long t = 0; t < millis; t += tickMillis) {
            int normal = (int) Math.round(normalRate * tickMillis / 1000.0 * (0.9 + 0.2 * random.nextDouble()));
            int attack = (int) Math.round(attackRate * tickMillis / 1000.0);
            int total = normal + attack;
            int step = Math.max(1, total);
            long nanosPerRequest = tickMillis * 1_000_000L / step;
            for (int i = 0; i < total; i++) {
                boolean isAttack = attack > 0 && (normal == 0 || random.nextInt(total) < attack);
                SimpleRequestFacts r = isAttack ? attacker.apply(random) : normal();
                sampler.record(r, isAttack ? attackStatus : 200);
                clock.advance(java.time.Duration.ofNanos(nanosPerRequest));
            }
            clock.advance(java.time.Duration.ofNanos(tickMillis * 1_000_000L - nanosPerRequest * total));
            detector.tick();
            if (until != null && until.getAsBoolean()) return t + tickMillis;
        }
        return -1;
    }
}
