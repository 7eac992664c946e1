package dev.bulwark.core.challenge;

import java.nio.charset.StandardCharsets;

/**
 * A decoded, signature-checked challenge token: what the interstitial asked of this
 * visitor and where to send them afterwards. Tokens are stateless: the server keeps no
 * record of issued challenges; everything it needs comes back signed.
 *
 * <p>Binary layout (big-endian) inside the {@link Envelope}: nonce(16) zoneHash(8)
 * family(1) prefix(8) uaHash(8) difficulty(1) issuedAt(8) notBefore(8) expiresAt(8)
 * targetLength(2) target(UTF-8, "METHOD /path?query"). Times are epoch milliseconds.
 *
 * @param kind      {@link Kind#PROOF_OF_WORK} for the script puzzle, {@link Kind#WAIT} for the no-script wait
 * @param notBefore for a wait token, the earliest moment it may be redeemed
 */
public record ChallengeToken(Kind kind, int keyId, byte[] nonce, int difficulty, long issuedAt, long notBefore,
                             long expiresAt, String method, String target) {

    public enum Kind {
        PROOF_OF_WORK((byte) 'P'), WAIT((byte) 'W');

        final byte code;

        Kind(byte code) { this.code = code; }
    }

    static final int NONCE = Envelope.HEADER;
    static final int ZONE = NONCE + ProofOfWork.NONCE_BYTES;
    static final int FAMILY = ZONE + 8;
    static final int PREFIX = FAMILY + 1;
    static final int UA = PREFIX + 8;
    static final int DIFFICULTY = UA + 8;
    static final int ISSUED = DIFFICULTY + 1;
    static final int NOT_BEFORE = ISSUED + 8;
    static final int EXPIRES = NOT_BEFORE + 8;
    static final int TARGET_LEN = EXPIRES + 8;
    static final int TARGET = TARGET_LEN + 2;
    /** Longest return URL kept; longer ones fall back to the bare path, then to "/". */
    public static final int MAX_TARGET_BYTES = 2048;

    public ChallengeToken {
        nonce = nonce.clone();
    }

    @Override public byte[] nonce() { return nonce.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChallengeToken t && t.kind == kind && t.keyId == keyId && java.util.Arrays.equals(t.nonce, nonce)
                && t.difficulty == difficulty && t.issuedAt == issuedAt && t.notBefore == notBefore && t.expiresAt == expiresAt
                && t.method.equals(method) && t.target.equals(target);
    }

    @Override
    public int hashCode() { return java.util.Arrays.hashCode(nonce) * 31 + target.hashCode(); }

    /** Nonce as lower-case hex, as the page hands it to the worker. */
    public String nonceHex() {
        StringBuilder sb = new StringBuilder(nonce.length * 2);
        for (byte b : nonce) sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        return sb.toString();
    }

    /** Reads the claims of an opened envelope; null when the target section is malformed. */
    static ChallengeToken read(Kind kind, byte[] b, int claimsEnd) {
        int len = ((b[TARGET_LEN] & 0xff) << 8) | (b[TARGET_LEN + 1] & 0xff);
        if (TARGET + len != claimsEnd) return null;
        String t = new String(b, TARGET, len, StandardCharsets.UTF_8);
        int sp = t.indexOf(' ');
        if (sp <= 0) return null;
        byte[] nonce = java.util.Arrays.copyOfRange(b, NONCE, NONCE + ProofOfWork.NONCE_BYTES);
        return new ChallengeToken(kind, Envelope.getInt(b, 2), nonce, b[DIFFICULTY] & 0xff, Envelope.getLong(b, ISSUED),
                Envelope.getLong(b, NOT_BEFORE), Envelope.getLong(b, EXPIRES), t.substring(0, sp), t.substring(sp + 1));
    }
}
