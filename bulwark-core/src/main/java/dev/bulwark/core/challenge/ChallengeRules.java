package dev.bulwark.core.challenge;

import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.net.Cidr;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A zone's {@link ChallengeConfig} compiled once per configuration snapshot: exempt
 * addresses parsed into CIDR ranges, exempt paths split into exact and prefix matches,
 * settings checked. The request path only reads it.
 *
 * <p>Exempt path syntax: an entry ending in "/" or "*" matches every path starting with it
 * ("/.well-known/", "/feeds/*"); any other entry matches that exact path ("/robots.txt",
 * "/sitemap.xml").
 */
public final class ChallengeRules {
    private final ChallengeConfig config;
    private final String[] exactPaths;
    private final String[] pathPrefixes;
    private final Cidr[] exemptNetworks;
    private final ChallengePage.Look look;

    private ChallengeRules(ChallengeConfig config, String[] exact, String[] prefixes, Cidr[] networks) {
        this.config = config;
        this.look = ChallengePage.look(config.branding());
        this.exactPaths = exact;
        this.pathPrefixes = prefixes;
        this.exemptNetworks = networks;
    }

    /** Compiles the settings; throws IllegalArgumentException listing every problem found. */
    public static ChallengeRules compile(ChallengeConfig c) {
        List<String> problems = problems(c);
        if (!problems.isEmpty()) throw new IllegalArgumentException("challenge settings: " + String.join("; ", problems));
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String p : c.exemptPaths()) {
            if (p.endsWith("*")) prefixes.add(p.substring(0, p.length() - 1));
            else if (p.endsWith("/")) prefixes.add(p);
            else exact.add(p);
        }
        Cidr[] nets = c.exemptAddresses().stream().map(Cidr::parse).toArray(Cidr[]::new);
        return new ChallengeRules(c, exact.toArray(String[]::new), prefixes.toArray(String[]::new), nets);
    }

    /** Every problem with these settings, as "field: what is wrong"; empty when they are usable. */
    public static List<String> problems(ChallengeConfig c) {
        List<String> out = new ArrayList<>();
        if (c.difficulty() < ProofOfWork.MIN_DIFFICULTY || c.difficulty() > ProofOfWork.MAX_DIFFICULTY)
            out.add("difficulty: must be " + ProofOfWork.MIN_DIFFICULTY + ".." + ProofOfWork.MAX_DIFFICULTY + " leading zero bits, got " + c.difficulty());
        if (c.maxDifficulty() < c.difficulty() || c.maxDifficulty() > ProofOfWork.MAX_DIFFICULTY)
            out.add("max_difficulty: must be between difficulty (" + c.difficulty() + ") and " + ProofOfWork.MAX_DIFFICULTY + ", got " + c.maxDifficulty());
        if (c.clearanceTtl().isNegative() || c.clearanceTtl().isZero()) out.add("clearance_ttl: must be positive");
        if (c.tokenTtl().isNegative() || c.tokenTtl().isZero()) out.add("token_ttl: must be positive");
        if (c.noscriptWait().isNegative()) out.add("noscript_wait: must not be negative");
        for (int i = 0; i < c.exemptPaths().size(); i++) {
            String p = c.exemptPaths().get(i);
            if (p == null || !p.startsWith("/")) out.add("exempt_paths[" + i + "]: must start with '/', got '" + p + "'");
        }
        for (int i = 0; i < c.exemptAddresses().size(); i++) {
            try {
                Cidr.parse(c.exemptAddresses().get(i));
            } catch (IllegalArgumentException | NullPointerException e) {
                out.add("exempt_addresses[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }

    public ChallengeConfig config() { return config; }

    /** The zone's branded page parts. */
    public ChallengePage.Look look() { return look; }

    public boolean neverChallenge() { return config.neverChallenge(); }

    public boolean underAttack() { return config.underAttack(); }

    public boolean exemptPath(String path) {
        if (path == null) return false;
        for (String p : exactPaths) if (p.equals(path)) return true;
        for (String p : pathPrefixes) if (path.startsWith(p)) return true;
        return false;
    }

    public boolean exemptAddress(InetAddress address) {
        if (address == null || exemptNetworks.length == 0) return false;
        byte[] a = address.getAddress();
        for (Cidr c : exemptNetworks) if (c.contains(a)) return true;
        return false;
    }

    /**
     * Lowest clearance level that satisfies a challenge: the no-script wait (1) when the zone
     * offers it, otherwise the proof of work (2).
     */
    public int requiredLevel() {
        return config.noscriptFallback() ? Clearances.LEVEL_WAIT : Clearances.LEVEL_PROOF_OF_WORK;
    }

    /** Proof-of-work bits to ask at this attack pressure (0..4). */
    public int difficulty(int pressure) {
        return Difficulty.bits(config.difficulty(), config.maxDifficulty(), pressure);
    }
}
