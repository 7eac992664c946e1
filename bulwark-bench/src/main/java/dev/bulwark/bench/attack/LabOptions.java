package dev.bulwark.bench.attack;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Settings of one attack-lab run, from {@code --name value} arguments. Times are seconds
 * unless the name says otherwise. Every loop of the run is bounded by {@link #duration}.
 */
record LabOptions(URI target, String host, double duration,
                  int attackers, String attackBase, int attackPrefixes, double floodStart, double floodDuration,
                  String attackPath, String attackAgent, int reconnectDelayMs,
                  int visitors, String visitorBase, double visitorRate, String visitorPath, String visitorAgent,
                  int visitorTimeoutMs,
                  int slowClients, String slowBase, String slowMode, int slowIntervalMs, int slowRate,
                  URI originStats, int threads, double waitForTarget) {

    static final String USAGE = """
            AttackLab: attackers and visitors from many loopback addresses against one HTTP/1.1 target.
              --target URL            http://127.0.0.1:19020/1k (path and query are the visitors' unless --visitor-path)
              --host NAME             Host header (default: the target's host)
              --duration S            whole run, visitors from start to end (30)
              --attackers N           flooding addresses (500), from --attack-base (127.10.0.0) over
              --attack-prefixes P     that many /24s (250: two attackers per /24)
              --flood-start S         when the flood starts (5), --flood-duration S (20)
              --attack-path P         (/1k), --attack-agent UA (attack-bot/1.0), --reconnect-delay-ms (10)
              --visitors N            legitimate users (50), one /24 each from --visitor-base (127.20.0.0)
              --visitor-rate R        requests per second per user (2), --visitor-timeout-ms (2000)
              --visitor-path P        (/1k), --visitor-agent UA (Mozilla/5.0 (X11; Linux x86_64) lab-visitor)
              --slow-clients N        slow connections that never finish (0), from --slow-base (127.30.0.0)
              --slow-mode M           headers (slowloris) or body (slow POST body), --slow-interval-ms (5000),
              --slow-rate R           new slow connections per second (500)
              --origin-stats URL      the demo origin's /stats, read before and after
              --threads N             attacker event loops (1; visitors and slow clients get one more)
              --wait-for-target S     wait up to S seconds for the target to accept connections before starting (0)
            """;

    static LabOptions parse(String[] args) throws UnknownHostException {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException(USAGE);
            if (!a.startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("expected --name value, got " + a + "\n" + USAGE);
            m.put(a.substring(2), args[++i]);
        }
        Set<String> known = Set.of("target", "host", "duration", "attackers", "attack-base", "attack-prefixes", "flood-start",
                "flood-duration", "attack-path", "attack-agent", "reconnect-delay-ms", "visitors", "visitor-base", "visitor-rate",
                "visitor-path", "visitor-agent", "visitor-timeout-ms", "slow-clients", "slow-base", "slow-mode", "slow-interval-ms",
                "slow-rate", "origin-stats", "threads", "wait-for-target");
        for (String k : m.keySet()) if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k + "\n" + USAGE);
        URI target = URI.create(m.getOrDefault("target", "http://127.0.0.1:19020/1k"));
        if (!"http".equals(target.getScheme()) || target.getPort() < 0) throw new IllegalArgumentException("--target must be http://HOST:PORT/...");
        if (!InetAddress.getByName(target.getHost()).isLoopbackAddress()) throw new IllegalArgumentException("--target must be a loopback address: the lab only attacks this machine");
        String path = target.getRawPath().isEmpty() ? "/" : target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        LabOptions o = new LabOptions(target, m.getOrDefault("host", target.getHost()), dbl(m, "duration", 30),
                integer(m, "attackers", 500), m.getOrDefault("attack-base", "127.10.0.0"), integer(m, "attack-prefixes", 250),
                dbl(m, "flood-start", 5), dbl(m, "flood-duration", 20), m.getOrDefault("attack-path", "/1k"),
                m.getOrDefault("attack-agent", "attack-bot/1.0"), integer(m, "reconnect-delay-ms", 10),
                integer(m, "visitors", 50), m.getOrDefault("visitor-base", "127.20.0.0"), dbl(m, "visitor-rate", 2),
                m.getOrDefault("visitor-path", path), m.getOrDefault("visitor-agent", "Mozilla/5.0 (X11; Linux x86_64) lab-visitor"),
                integer(m, "visitor-timeout-ms", 2000),
                integer(m, "slow-clients", 0), m.getOrDefault("slow-base", "127.30.0.0"), m.getOrDefault("slow-mode", "headers"),
                integer(m, "slow-interval-ms", 5000), integer(m, "slow-rate", 500),
                m.containsKey("origin-stats") ? URI.create(m.get("origin-stats")) : null, integer(m, "threads", 1),
                dbl(m, "wait-for-target", 0));
        o.validate();
        return o;
    }

    private void validate() {
        if (waitForTarget < 0 || waitForTarget > 600) throw new IllegalArgumentException("--wait-for-target must be in [0, 600] s");
        if (duration <= 0 || duration > 3600) throw new IllegalArgumentException("--duration must be in (0, 3600] s");
        if (attackers < 0 || visitors < 0 || slowClients < 0) throw new IllegalArgumentException("counts must be >= 0");
        if (attackPrefixes < 1 || attackPrefixes > 256) throw new IllegalArgumentException("--attack-prefixes must be 1..256");
        if (attackers > attackPrefixes * 254) throw new IllegalArgumentException("--attackers: at most 254 per /24 (" + attackPrefixes * 254 + ")");
        if (visitors > 256 * 254 || slowClients > 256 * 254) throw new IllegalArgumentException("at most 65024 visitors or slow clients");
        if (floodStart < 0 || floodDuration < 0 || floodStart + floodDuration > duration) {
            throw new IllegalArgumentException("the flood must fit in the run: flood-start + flood-duration <= duration");
        }
        if (visitorRate <= 0 || visitorRate > 1000) throw new IllegalArgumentException("--visitor-rate must be in (0, 1000]");
        if (!slowMode.equals("headers") && !slowMode.equals("body")) throw new IllegalArgumentException("--slow-mode is headers or body");
        if (slowIntervalMs < 10 || slowRate < 1 || threads < 1 || threads > 16 || visitorTimeoutMs < 1) {
            throw new IllegalArgumentException("--slow-interval-ms >= 10, --slow-rate >= 1, --threads 1..16, --visitor-timeout-ms >= 1");
        }
    }

    /** The address of client {@code i} of a range: spread over {@code prefixes} /24s, never .0 or .255. */
    static InetAddress address(String base, int i, int prefixes) {
        try {
            byte[] b = InetAddress.getByName(base).getAddress();
            if (b.length != 4 || (b[0] & 0xff) != 127) throw new IllegalArgumentException(base + " is not in 127.0.0.0/8");
            int third = (b[2] & 0xff) + i % prefixes;
            int fourth = 1 + i / prefixes;
            if (third > 255 || fourth > 254) throw new IllegalArgumentException("client " + i + " does not fit in " + base + "/16");
            return InetAddress.getByAddress(new byte[] {127, b[1], (byte) third, (byte) fourth});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address " + base, e);
        }
    }

    private static int integer(Map<String, String> m, String k, int d) {
        try {
            return m.containsKey(k) ? Integer.parseInt(m.get(k)) : d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + k + " expects a whole number, got " + m.get(k));
        }
    }

    private static double dbl(Map<String, String> m, String k, double d) {
        try {
            return m.containsKey(k) ? Double.parseDouble(m.get(k)) : d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + k + " expects a number, got " + m.get(k));
        }
    }
}
