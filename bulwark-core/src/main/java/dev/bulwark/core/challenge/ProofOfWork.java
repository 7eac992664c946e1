package dev.bulwark.core.challenge;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The puzzle: find a counter such that SHA-256(nonce || counter) starts with
 * {@code difficulty} zero bits, the counter being 8 bytes big-endian. Checking costs one
 * hash; finding costs 2^difficulty hashes on average. The browser worker
 * ({@code challenge.js}) and {@link PowSolver} compute exactly this.
 */
public final class ProofOfWork {
    public static final int NONCE_BYTES = 16;
    public static final int MIN_DIFFICULTY = 1;
    /** 32 zero bits is about four billion hashes: beyond any honest visitor's patience. */
    public static final int MAX_DIFFICULTY = 32;

    private static final ThreadLocal<Work> LOCAL = ThreadLocal.withInitial(Work::new);

    private ProofOfWork() {}

    /** True when {@code counter} solves the puzzle for {@code nonce[off, off+16)} at {@code difficulty}. */
    public static boolean check(byte[] nonce, int off, long counter, int difficulty) {
        Work w = LOCAL.get();
        return leadingZeroBits(w.hash(nonce, off, counter)) >= difficulty;
    }

    public static boolean check(byte[] nonce, long counter, int difficulty) {
        return check(nonce, 0, counter, difficulty);
    }

    /** SHA-256(nonce || counter) as a new array; for tests and tools. */
    public static byte[] digest(byte[] nonce, long counter) {
        return LOCAL.get().hash(nonce, 0, counter).clone();
    }

    public static int leadingZeroBits(byte[] hash) {
        int bits = 0;
        for (byte b : hash) {
            if (b == 0) { bits += 8; continue; }
            return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return bits;
    }

    /** Per-thread digest and buffers, so a check allocates nothing. */
    static final class Work {
        final MessageDigest sha;
        final byte[] input = new byte[NONCE_BYTES + 8];
        final byte[] out = new byte[32];

        Work() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }

        byte[] hash(byte[] nonce, int off, long counter) {
            System.arraycopy(nonce, off, input, 0, NONCE_BYTES);
            Envelope.putLong(input, NONCE_BYTES, counter);
            sha.update(input, 0, input.length);
            try {
                sha.digest(out, 0, 32);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
            return out;
        }
    }
}
