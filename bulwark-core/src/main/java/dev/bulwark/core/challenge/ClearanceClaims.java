package dev.bulwark.core.challenge;

/**
 * The claims of a verified clearance cookie, filled in place by {@link ClearanceVerifier}
 * so the request path can reuse one holder per request (or per thread) and allocate
 * nothing until someone asks for the id as text.
 */
public final class ClearanceClaims {
    int level;
    int keyId;
    long issuedAt;
    long expiresAt;
    final byte[] id = new byte[Clearances.ID_BYTES];
    private String idText;

    /** 0 when no clearance was verified into this holder. */
    public int level() { return level; }

    public int keyId() { return keyId; }

    /** Epoch milliseconds, whole seconds. */
    public long issuedAt() { return issuedAt; }

    /** Epoch milliseconds, whole seconds. */
    public long expiresAt() { return expiresAt; }

    /** The stable clearance id as URL-safe Base64 (16 characters), or null without clearance. */
    public String id() {
        if (level == 0) return null;
        if (idText == null) idText = Base64Url.encode(id, 0, id.length);
        return idText;
    }

    public byte[] idBytes() { return id.clone(); }

    void clear() {
        level = 0;
        keyId = 0;
        issuedAt = 0;
        expiresAt = 0;
        idText = null;
    }

    void fill(byte[] b) {
        level = b[Clearances.LEVEL] & 0xff;
        keyId = Envelope.getInt(b, 2);
        issuedAt = Clearances.millis(b, Clearances.ISSUED);
        expiresAt = Clearances.millis(b, Clearances.EXPIRES);
        System.arraycopy(b, Clearances.ID, id, 0, id.length);
        idText = null;
    }

    @Override
    public String toString() {
        return level == 0 ? "ClearanceClaims[none]" : "ClearanceClaims[level=" + level + ", id=" + id() + ", expiresAt=" + expiresAt + "]";
    }
}
