package dev.bulwark.bench.limit;

import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.limit.RateLimiter;
import dev.bulwark.core.request.SimpleRequestFacts;
import dev.bulwark.core.time.Clock;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Memory benchmark: pushes N distinct client addresses (default 10 million) through a zone's
 * rate limiter — every address over its limit of 1, so every one is counted and banned — and
 * reports used heap after full GCs, before and after. The limiter's structures are fixed-size,
 * so the growth must stay within 64 MiB whatever N is.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -Xmx256m -cp bulwark-bench.jar dev.bulwark.bench.limit.LimiterMemoryCheck 10000000</pre>
 */
public final class LimiterMemoryCheck {
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        RateLimiter limiter = RateLimiter.inMemory("memory", List.of(new RateLimitRuleConfig("per-ip", null, null, List.of("ip.src"),
                Duration.ofMinutes(1), 1L, RateLimitRuleConfig.Action.BLOCK, Duration.ofMinutes(10), null)), e -> r -> true, Clock.SYSTEM);
        SimpleRequestFacts facts = new SimpleRequestFacts().host("memory.example");
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        byte[] ip = new byte[4];
        long blocked = 0;
        for (long i = 0; i < n; i++) {
            ip[0] = (byte) (1 + (i >>> 24)); ip[1] = (byte) (i >>> 16); ip[2] = (byte) (i >>> 8); ip[3] = (byte) i;
            facts.client(InetAddress.getByAddress(ip));
            limiter.check(facts);
            if (limiter.check(facts).enforced()) blocked++;
            if (i % 2_000_000 == 0 && i > 0) System.out.printf("  %,d keys, heap used %,d KiB%n", i, used() / 1024);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long after = usedAfterGc();
        System.out.printf("%,d distinct keys (%,d second requests refused) in %.1f s: heap after GC %,d KiB -> %,d KiB (growth %,d KiB, limit 65,536 KiB)%n",
                n, blocked, seconds, before / 1024, after / 1024, (after - before) / 1024);
        if (after - before > 64L << 20) {
            System.out.println("FAIL: limiter memory grew with the number of keys");
            System.exit(1);
        }
    }

    private static long used() { return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(); }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return used();
    }
}
