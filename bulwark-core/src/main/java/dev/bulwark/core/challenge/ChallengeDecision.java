package dev.bulwark.core.challenge;

import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.request.RequestFacts;

/**
 * What the challenge phase does with one request; a pure function of the zone's rules,
 * the request facts, whether anything asked for a challenge, and the clearance held.
 *
 * <p>Order: nothing to do unless a rule asked for a challenge or the zone is under attack;
 * then exemptions (never-challenge zone, exempt paths, exempt addresses) win, so crawlers
 * keep reaching robots.txt and feeds even under attack; then a valid clearance passes;
 * then only GET/HEAD navigations get the interstitial, because only a browser showing a
 * page can run it. Everything else (fetch, XHR, API clients, POST) gets a 403 with a
 * machine-readable body and {@code Bulwark-Mitigated: challenge}, which page scripts and
 * API clients can detect instead of parsing an HTML page they cannot solve.
 */
public enum ChallengeDecision {
    /** No challenge needed, or the visitor holds clearance: continue. */
    PASS,
    /** A challenge was due but this zone, path or address is never challenged: continue. */
    EXEMPT,
    /** Answer with the challenge page. */
    INTERSTITIAL,
    /** Answer 403 with a JSON body and {@code Bulwark-Mitigated: challenge}. */
    DENY;

    public static ChallengeDecision decide(ChallengeRules rules, RequestFacts request, boolean challengeRequested, int clearanceLevel) {
        if (!challengeRequested && !rules.underAttack() && !request.zoneUnderAttack()) return PASS;
        if (rules.neverChallenge() || rules.exemptPath(request.path()) || rules.exemptAddress(request.clientAddress())) return EXEMPT;
        if (clearanceLevel >= rules.requiredLevel()) return PASS;
        return isNavigation(request) ? INTERSTITIAL : DENY;
    }

    /** As above, taking the clearance level from the request facts. */
    public static ChallengeDecision decide(ChallengeRules rules, RequestFacts request, boolean challengeRequested) {
        return decide(rules, request, challengeRequested, request.clearanceLevel());
    }

    /** Convenience for tests and tools; the edge compiles {@link ChallengeRules} once per snapshot. */
    public static ChallengeDecision decide(ChallengeConfig config, RequestFacts request, boolean challengeRequested, int clearanceLevel) {
        return decide(ChallengeRules.compile(config), request, challengeRequested, clearanceLevel);
    }

    /**
     * A top-level page load by a browser: GET or HEAD, and Sec-Fetch-Mode "navigate" when the
     * browser sends fetch metadata; without it (older browsers, some privacy tools) an Accept
     * header naming text/html and no X-Requested-With.
     */
    public static boolean isNavigation(RequestFacts r) {
        String m = r.method();
        if (!"GET".equals(m) && !"HEAD".equals(m)) return false;
        String mode = r.header("sec-fetch-mode");
        if (mode != null) return mode.equalsIgnoreCase("navigate");
        if (r.header("x-requested-with") != null) return false;
        String accept = r.header("accept");
        return accept != null && containsIgnoreCase(accept, "text/html");
    }

    private static boolean containsIgnoreCase(String s, String part) {
        for (int i = 0, n = s.length() - part.length(); i <= n; i++) if (s.regionMatches(true, i, part, 0, part.length())) return true;
        return false;
    }
}
