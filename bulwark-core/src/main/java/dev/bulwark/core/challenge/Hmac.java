package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) on a per-thread {@link MessageDigest}, with the key pads of the
 * last few keys kept per thread.
 *
 * <p>Why not {@code javax.crypto.Mac}: its {@code doFinal(byte[], int)} allocates a fresh
 * array for every tag (and another inside the HMAC engine), which breaks the promise that
 * verifying a cookie allocates nothing. {@code MessageDigest.digest(byte[], int, int)}
 * writes into our buffer. The result is the same HMAC; a test checks it against
 * {@code Mac.getInstance("HmacSHA256")}.
 */
final class Hmac {
    static final int TAG_BYTES = 32;
    private static final int BLOCK = 64;
    private static final int SLOTS = 4;

    private static final ThreadLocal<Hmac> LOCAL = ThreadLocal.withInitial(Hmac::new);

    private final MessageDigest sha;
    private final KeyRing.Key[] keys = new KeyRing.Key[SLOTS];
    private final byte[][] innerPads = new byte[SLOTS][BLOCK];
    private final byte[][] outerPads = new byte[SLOTS][BLOCK];
    private int next;
    private final byte[] inner = new byte[TAG_BYTES];
    /** Scratch space for the expected tag when verifying. */
    private final byte[] expected = new byte[TAG_BYTES];
    /** Scratch space a token or cookie is decoded into; one per thread, reused by every request. */
    final byte[] buffer = new byte[Envelope.MAX_BYTES];

    private Hmac() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static Hmac local() { return LOCAL.get(); }

    private int slot(KeyRing.Key key) {
        for (int i = 0; i < SLOTS; i++) if (keys[i] == key) return i;
        for (int i = 0; i < SLOTS; i++) if (key.equals(keys[i])) { keys[i] = key; return i; }
        int s = next;
        next = (next + 1) % SLOTS;
        byte[] k = key.secretUnsafe();
        if (k.length > BLOCK) k = sha.digest(k); // RFC 2104: long keys are hashed first
        byte[] ip = innerPads[s];
        byte[] op = outerPads[s];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ip[i] = (byte) (b ^ 0x36);
            op[i] = (byte) (b ^ 0x5c);
        }
        keys[s] = key;
        return s;
    }

    /** Writes the tag of {@code data[off, off+len)} to {@code out[outOff..outOff+32)}. */
    void sign(KeyRing.Key key, byte[] data, int off, int len, byte[] out, int outOff) {
        int s = slot(key);
        try {
            sha.update(innerPads[s], 0, BLOCK);
            sha.update(data, off, len);
            sha.digest(inner, 0, TAG_BYTES);
            sha.update(outerPads[s], 0, BLOCK);
            sha.update(inner, 0, TAG_BYTES);
            sha.digest(out, outOff, TAG_BYTES);
        } catch (DigestException e) {
            throw new IllegalArgumentException("no room for the tag", e);
        }
    }

    /** True when {@code data[tagOff..tagOff+32)} is the tag of {@code data[off, off+len)}; constant time. */
    boolean verify(KeyRing.Key key, byte[] data, int off, int len, int tagOff) {
        sign(key, data, off, len, expected, 0);
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) diff |= expected[i] ^ data[tagOff + i];
        return diff == 0;
    }
}
