package dev.bulwark.control.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical encoding an audit entry's hash is computed over. Each field is written as
 * a 4-byte length followed by its UTF-8 bytes (length -1 for null), in a fixed order, so no
 * two different entries share an encoding (no delimiter ambiguity) and the encoding does not
 * depend on the database, driver or JSON library.
 */
public final class AuditHasher {
    /** The previous hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private AuditHasher() {}

    public static String hash(long id, long at, String actor, String action, String target,
                              String before, String after, String prevHash) {
        MessageDigest sha = sha256();
        sha.update(ByteBuffer.allocate(16).putLong(id).putLong(at).array());
        for (String field : new String[] {actor, action, target, before, after, prevHash}) {
            if (field == null) {
                sha.update(ByteBuffer.allocate(4).putInt(-1).array());
            } else {
                byte[] b = field.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
                sha.update(b);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    public static String hashOf(AuditEntry e) {
        return hash(e.id(), e.at(), e.actor(), e.action(), e.target(), e.before(), e.after(), e.prevHash());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
