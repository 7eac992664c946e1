package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;

import java.net.InetAddress;
import java.time.Duration;

/**
 * The proof of work in front of a public form (the abuse form): the same signed token and
 * puzzle as the visitor challenge, solved by the same {@code challenge.js} worker, but the
 * answer travels in the form's submission instead of a verify redirect.
 *
 * <p>A puzzle is bound to the form ({@code formId} in the zone slot, "POST action" as the
 * target), the client's prefix and user agent, and expires. {@link #verify} checks all of that,
 * that the token asks at least the difficulty required now (a token issued before the difficulty
 * was raised is too easy), and that the counter solves it. It stores nothing: single use is the
 * caller's job, keyed on {@link Verdict#nonceHex()} until {@link Verdict#expiresAt()}, in the
 * transaction that stores what the form submitted.
 */
public final class FormChallenge {
    /** Outcome of checking a submitted solution; only {@link #VALID} lets a submission through. */
    public enum Check { VALID, MISSING, MALFORMED, FORGED, EXPIRED, WRONG_CLIENT, TOO_EASY, INSUFFICIENT_WORK }

    /** What the page (or an API client) needs to solve: the signed token, its nonce and difficulty. */
    public record Puzzle(String token, String nonceHex, int difficulty, long expiresAt) {}

    /** A check's outcome, with the puzzle's nonce and expiry when the token was genuine. */
    public record Verdict(Check check, String nonceHex, long expiresAt) {
        public boolean valid() { return check == Check.VALID; }
    }

    private final ChallengeTokens tokens;
    private final String formId;
    private final String action;
    private final String target;

    /**
     * @param formId names the form in its tokens; choose one no zone id can take (e.g. "form:abuse")
     * @param action the path the form posts to
     */
    public FormChallenge(KeyRing keys, String formId, String action) {
        this.tokens = new ChallengeTokens(keys);
        this.formId = formId;
        this.action = action;
        this.target = "POST " + action;
    }

    public Puzzle issue(InetAddress client, String userAgent, int difficulty, Duration ttl, long now) {
        String token = tokens.issueFormProofOfWork(formId, client, userAgent, difficulty, ttl, action, now);
        return new Puzzle(token, ChallengeTokens.nonceHex(token), difficulty, now + ttl.toMillis());
    }

    /**
     * Checks a submitted token and counter (decimal text, as a form sends it) for this client at
     * {@code now}, requiring at least {@code minDifficulty} bits.
     */
    public Verdict verify(String token, String counter, InetAddress client, String userAgent, int minDifficulty, long now) {
        if (token == null || token.isBlank() || counter == null || counter.isBlank()) return new Verdict(Check.MISSING, null, 0);
        long c = ChallengeEndpoints.parseCounter(counter.trim()); // as the visitor challenge reads it
        if (c < 0) return new Verdict(Check.MALFORMED, null, 0);
        ChallengeToken claims = tokens.open(token.trim());
        if (claims == null || claims.kind() != ChallengeToken.Kind.PROOF_OF_WORK
                || !target.equals(claims.method() + " " + claims.target())) return new Verdict(Check.FORGED, null, 0);
        Check check = switch (tokens.verifySolution(token.trim(), c, formId, client, userAgent, now)) {
            case VALID -> claims.difficulty() < minDifficulty ? Check.TOO_EASY : Check.VALID;
            case EXPIRED -> Check.EXPIRED;
            case WRONG_CLIENT, WRONG_AGENT -> Check.WRONG_CLIENT;
            case INSUFFICIENT_WORK -> Check.INSUFFICIENT_WORK;
            case FORGED, WRONG_ZONE, TOO_EARLY -> Check.FORGED;
        };
        return new Verdict(check, claims.nonceHex(), claims.expiresAt());
    }

    /** The reason in plain words, for a field error next to the form's send button. */
    public static String explain(Check c) {
        return switch (c) {
            case VALID -> "solved";
            case MISSING -> "the anti-spam check was not solved; it runs in your browser and needs JavaScript";
            case MALFORMED -> "the anti-spam answer is not a number";
            case FORGED -> "the anti-spam puzzle was not issued by this server; solve a new one and send again";
            case EXPIRED -> "the anti-spam puzzle expired; solve a new one and send again";
            case WRONG_CLIENT -> "the anti-spam puzzle was issued to another network or browser; solve a new one and send again";
            case TOO_EASY -> "the anti-spam puzzle is easier than required now; solve a new one and send again";
            case INSUFFICIENT_WORK -> "the anti-spam answer does not solve the puzzle";
        };
    }
}
