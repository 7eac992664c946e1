package dev.bulwark.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Visitor-challenge settings of a zone: proof-of-work difficulty (leading zero bits),
 * clearance lifetime, "under attack" mode, paths and addresses never challenged, and
 * the branding of the interstitial.
 *
 * <p>{@code difficulty} is the base; attack pressure raises it up to {@code maxDifficulty}.
 * {@code tokenTtl} is how long a visitor has to solve one challenge page, {@code noscriptWait}
 * how long a visitor without JavaScript waits for the lower (level 1) clearance.
 * {@code noscriptFallback} (default on) offers that wait at all; turning it off makes
 * JavaScript and the proof of work (level 2) mandatory, for zones whose attackers farm the
 * free wait.
 */
public record ChallengeConfig(Integer difficulty, Duration clearanceTtl, Boolean underAttack, Boolean neverChallenge,
                              List<String> exemptPaths, List<String> exemptAddresses, Branding branding,
                              Integer maxDifficulty, Duration tokenTtl, Duration noscriptWait, Boolean noscriptFallback) {
    /** Texts and colours of the challenge page; any null takes the default text. */
    public record Branding(String title, String heading, String message, String accentColor, String logoText) {}

    public ChallengeConfig {
        difficulty = difficulty == null ? 16 : difficulty;
        clearanceTtl = clearanceTtl == null ? Duration.ofMinutes(30) : clearanceTtl;
        underAttack = underAttack != null && underAttack;
        neverChallenge = neverChallenge != null && neverChallenge;
        exemptPaths = exemptPaths == null ? List.of("/robots.txt", "/.well-known/") : List.copyOf(exemptPaths);
        exemptAddresses = exemptAddresses == null ? List.of() : List.copyOf(exemptAddresses);
        branding = branding == null ? new Branding(null, null, null, null, null) : branding;
        maxDifficulty = maxDifficulty == null ? Math.max(difficulty, 22) : maxDifficulty;
        tokenTtl = tokenTtl == null ? Duration.ofMinutes(10) : tokenTtl;
        noscriptWait = noscriptWait == null ? Duration.ofSeconds(5) : noscriptWait;
        noscriptFallback = noscriptFallback == null || noscriptFallback;
    }

    /** The original seven settings; the newer ones take their defaults. */
    public ChallengeConfig(Integer difficulty, Duration clearanceTtl, Boolean underAttack, Boolean neverChallenge,
                           List<String> exemptPaths, List<String> exemptAddresses, Branding branding) {
        this(difficulty, clearanceTtl, underAttack, neverChallenge, exemptPaths, exemptAddresses, branding, null, null, null, null);
    }

    public static ChallengeConfig defaults() { return new ChallengeConfig(null, null, null, null, null, null, null); }

    /**
     * These settings as a zone restricted by trust and safety gets them: every visitor is
     * challenged (under attack), whatever the owner set for never-challenge and exempt addresses,
     * and only the default exempt paths ({@code /robots.txt}, {@code /.well-known/}) stay open.
     * Difficulty, lifetimes and branding are the owner's.
     */
    public ChallengeConfig restricted() {
        return new ChallengeConfig(difficulty, clearanceTtl, true, false, null, List.of(), branding, maxDifficulty, tokenTtl,
                noscriptWait, noscriptFallback);
    }
}
