package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * Issues and checks stateless challenge tokens.
 *
 * <p>Design: a token is an HMAC-signed envelope binding a random 128-bit nonce to the zone,
 * the client prefix, the user-agent hash, the difficulty, its validity window and the URL
 * to return to. Issuing stores nothing. A solution (a counter) is only meaningful for the
 * nonce of its token, and the token is only accepted from the same zone, prefix and user
 * agent before it expires, so a solution cannot be carried to another client or reused
 * later. Redeeming the same solution twice from the same client yields the same clearance
 * id (see {@link Clearances#idFor}), so replay cannot mint extra clearances, while several
 * tabs solving their own tokens at once each succeed independently.
 *
 * <p>Checks decode into a per-thread buffer and allocate nothing.
 */
public final class ChallengeTokens {
    /** Outcome of checking a token and its solution; only {@link #VALID} grants anything. */
    public enum Check { VALID, FORGED, EXPIRED, TOO_EARLY, WRONG_ZONE, WRONG_CLIENT, WRONG_AGENT, INSUFFICIENT_WORK }

    /**
     * Nonces must be unpredictable (or solutions could be computed ahead of time); one
     * generator per thread keeps a flood of challenge pages from queueing on one lock.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(ChallengeTokens::newRandom);

    /** A DRBG per thread: no shared lock, unlike the default generator that reads /dev/urandom under one. */
    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    private final KeyRing keys;

    public ChallengeTokens(KeyRing keys) {
        this.keys = keys;
    }

    public KeyRing keys() { return keys; }

    /** A proof-of-work token valid for {@code ttl} from {@code now}. */
    public String issueProofOfWork(String zoneId, InetAddress client, String userAgent, int difficulty, Duration ttl,
                                   String method, String uri, long now) {
        checkDifficulty(difficulty);
        checkNavigation(method);
        return issue(ChallengeToken.Kind.PROOF_OF_WORK, zoneId, client, userAgent, difficulty, now, now, now + ttl.toMillis(), method, uri);
    }

    /**
     * A proof-of-work token for a form instead of a page: {@code formId} takes the zone's place
     * and the target is "POST {@code action}", which no page token can carry (those are GET/HEAD
     * only), so neither kind passes for the other. See {@link FormChallenge}.
     */
    public String issueFormProofOfWork(String formId, InetAddress client, String userAgent, int difficulty, Duration ttl,
                                       String action, long now) {
        checkDifficulty(difficulty);
        return issue(ChallengeToken.Kind.PROOF_OF_WORK, formId, client, userAgent, difficulty, now, now, now + ttl.toMillis(), "POST", action);
    }

    private static void checkDifficulty(int difficulty) {
        if (difficulty < ProofOfWork.MIN_DIFFICULTY || difficulty > ProofOfWork.MAX_DIFFICULTY)
            throw new IllegalArgumentException("difficulty must be " + ProofOfWork.MIN_DIFFICULTY + ".." + ProofOfWork.MAX_DIFFICULTY + " bits, got " + difficulty);
    }

    private static void checkNavigation(String method) {
        if (!"GET".equals(method) && !"HEAD".equals(method))
            throw new IllegalArgumentException("only GET and HEAD navigations are challenged with a page, got " + method);
    }

    /** A no-script wait token: redeemable from {@code now + wait} until {@code now + wait + ttl}. */
    public String issueWait(String zoneId, InetAddress client, String userAgent, Duration wait, Duration ttl,
                            String method, String uri, long now) {
        checkNavigation(method);
        long notBefore = now + wait.toMillis();
        return issue(ChallengeToken.Kind.WAIT, zoneId, client, userAgent, 0, now, notBefore, notBefore + ttl.toMillis(), method, uri);
    }

    private String issue(ChallengeToken.Kind kind, String zoneId, InetAddress client, String userAgent, int difficulty,
                         long issuedAt, long notBefore, long expiresAt, String method, String uri) {
        if (zoneId == null || client == null) throw new IllegalArgumentException("zone and client address are required");
        byte[] target = (method + " " + safeReturnTarget(uri)).getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[ChallengeToken.TARGET + target.length + Hmac.TAG_BYTES];
        byte[] nonce = new byte[ProofOfWork.NONCE_BYTES];
        RANDOM.get().nextBytes(nonce);
        System.arraycopy(nonce, 0, b, ChallengeToken.NONCE, nonce.length);
        Envelope.putLong(b, ChallengeToken.ZONE, Fingerprints.hash(zoneId));
        b[ChallengeToken.FAMILY] = Fingerprints.family(client);
        Envelope.putLong(b, ChallengeToken.PREFIX, Fingerprints.prefix(client));
        Envelope.putLong(b, ChallengeToken.UA, Fingerprints.hash(userAgent));
        b[ChallengeToken.DIFFICULTY] = (byte) difficulty;
        Envelope.putLong(b, ChallengeToken.ISSUED, issuedAt);
        Envelope.putLong(b, ChallengeToken.NOT_BEFORE, notBefore);
        Envelope.putLong(b, ChallengeToken.EXPIRES, expiresAt);
        b[ChallengeToken.TARGET_LEN] = (byte) (target.length >>> 8);
        b[ChallengeToken.TARGET_LEN + 1] = (byte) target.length;
        System.arraycopy(target, 0, b, ChallengeToken.TARGET, target.length);
        return Envelope.seal(b, kind.code, ChallengeToken.TARGET + target.length, keys.current());
    }

    /**
     * Checks a proof-of-work token and its solving counter for this zone and client at
     * {@code now}. Allocates nothing.
     */
    public Check verifySolution(CharSequence token, long counter, String zoneId, InetAddress client, String userAgent, long now) {
        byte[] b = Hmac.local().buffer;
        Check c = checkClaims(token, ChallengeToken.Kind.PROOF_OF_WORK, zoneId, client, userAgent, now, b);
        if (c != Check.VALID) return c;
        int difficulty = b[ChallengeToken.DIFFICULTY] & 0xff;
        return ProofOfWork.check(b, ChallengeToken.NONCE, counter, difficulty) ? Check.VALID : Check.INSUFFICIENT_WORK;
    }

    /** Checks a no-script wait token: genuine, for this zone and client, and its wait is over. */
    public Check verifyWait(CharSequence token, String zoneId, InetAddress client, String userAgent, long now) {
        return checkClaims(token, ChallengeToken.Kind.WAIT, zoneId, client, userAgent, now, Hmac.local().buffer);
    }

    private Check checkClaims(CharSequence token, ChallengeToken.Kind kind, String zoneId, InetAddress client,
                              String userAgent, long now, byte[] b) {
        if (token == null || client == null) return Check.FORGED;
        int end = Envelope.open(token, 0, token.length(), kind.code, ChallengeToken.TARGET, keys, b);
        if (end < 0) return Check.FORGED;
        if (Envelope.getLong(b, ChallengeToken.ZONE) != Fingerprints.hash(zoneId)) return Check.WRONG_ZONE;
        if (b[ChallengeToken.FAMILY] != Fingerprints.family(client)
                || Envelope.getLong(b, ChallengeToken.PREFIX) != Fingerprints.prefix(client)) return Check.WRONG_CLIENT;
        if (Envelope.getLong(b, ChallengeToken.UA) != Fingerprints.hash(userAgent)) return Check.WRONG_AGENT;
        if (now >= Envelope.getLong(b, ChallengeToken.EXPIRES)) return Check.EXPIRED;
        if (now < Envelope.getLong(b, ChallengeToken.NOT_BEFORE)) return Check.TOO_EARLY;
        return Check.VALID;
    }

    /**
     * The nonce of a token as lower-case hex, read from its first characters without checking
     * the signature (the page only shows it; the verify step checks everything); null when
     * the text is too short.
     */
    public static String nonceHex(String token) {
        int chars = 32; // 24 bytes: header (6) and nonce (16) fit
        if (token == null || token.length() < chars) return null;
        byte[] b = new byte[24];
        if (Base64Url.decode(token, 0, chars, b) != 24) return null;
        return java.util.HexFormat.of().formatHex(b, ChallengeToken.NONCE, ChallengeToken.NONCE + ProofOfWork.NONCE_BYTES);
    }

    /**
     * The claims of a genuine token of either kind, whoever presents it and whenever; null
     * when forged or malformed. Used after a check passed, and to send the visitor of an
     * expired token back to where they were going.
     */
    public ChallengeToken open(CharSequence token) {
        if (token == null) return null;
        byte[] b = Hmac.local().buffer; // read() copies what it keeps
        for (ChallengeToken.Kind kind : ChallengeToken.Kind.values()) {
            int end = Envelope.open(token, 0, token.length(), kind.code, ChallengeToken.TARGET, keys, b);
            if (end >= 0) return ChallengeToken.read(kind, b, end);
        }
        return null;
    }

    /**
     * The request-target to send a visitor back to: an origin-form path with its query,
     * never something a browser would read as another host ("//evil.example", "/\evil"),
     * never control characters, and short enough to sign.
     */
    public static String safeReturnTarget(String uri) {
        if (uri == null || uri.isEmpty() || uri.charAt(0) != '/') return "/";
        if (uri.length() > 1 && (uri.charAt(1) == '/' || uri.charAt(1) == '\\')) return "/";
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < 0x21 || c == 0x7f || c == '\\' || c > 0x7e) return "/";
        }
        if (uri.length() > ChallengeToken.MAX_TARGET_BYTES) {
            int q = uri.indexOf('?');
            return q > 0 && q <= ChallengeToken.MAX_TARGET_BYTES ? uri.substring(0, q) : "/";
        }
        return uri;
    }
}
