package dev.bulwark.control.store;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * Encrypts the private keys of zone certificates at rest: AES-256-GCM under a node secret kept in
 * a file outside the database (32 random bytes, base64 on one line, mode 0600), so a copy of the
 * database alone does not give the keys away. Each sealed value is {@code base64(iv || ciphertext)}
 * with a fresh 96-bit IV; the key's fingerprint is the associated data, so a sealed value moved to
 * another row does not open. {@link #keyId()} names the secret (a hash of it, not the secret) and
 * is stored with each row, so a wrong file is told apart from a damaged row and a rotation can
 * find the rows still sealed under an older secret.
 */
public final class TlsKeyVault {
    /** The environment variable naming the key file when no flag or setting does. */
    public static final String ENV = "BULWARK_KEY_FILE";
    /** The key file's name in the data directory when nothing names another. */
    public static final String DEFAULT_FILE = "tls-key-encryption.key";

    private static final int KEY_BYTES = 32, IV_BYTES = 12, TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final SecretKeySpec key;
    private final String keyId;
    private final String unavailable;

    private TlsKeyVault(Path file, byte[] secret, String unavailable) {
        this.file = file;
        this.key = secret == null ? null : new SecretKeySpec(secret, "AES");
        this.keyId = secret == null ? null : idOf(secret);
        this.unavailable = unavailable;
    }

    /**
     * The secret in {@code file}; when the file does not exist and {@code create} is true, a new
     * one is written there first (mode 0600). A missing, unreadable or malformed file is an
     * error naming it.
     */
    public static TlsKeyVault open(Path file, boolean create) {
        try {
            if (!Files.exists(file)) {
                if (!create) throw new IllegalStateException("TLS key file " + file + " does not exist");
                return new TlsKeyVault(file, createFile(file), null);
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("TLS key file " + file + " is not one line of base64");
            }
            if (secret.length != KEY_BYTES) {
                throw new IllegalStateException("TLS key file " + file + " holds " + secret.length + " bytes, not the " + KEY_BYTES + " of an AES-256 key");
            }
            return new TlsKeyVault(file, secret, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read TLS key file " + file + ": " + e, e);
        }
    }

    /**
     * The key file a node uses: {@code configured} if given, else {@link #ENV} if set, else
     * {@link #DEFAULT_FILE} in {@code dataDir} (null when there is none of the three).
     */
    public static Path locate(Path configured, Path dataDir) {
        if (configured != null) return configured;
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return Path.of(env.trim());
        return dataDir == null ? null : dataDir.resolve(DEFAULT_FILE);
    }

    /** A vault without a secret: every use fails with {@code why} (a store opened without a key file). */
    public static TlsKeyVault unavailable(String why) { return new TlsKeyVault(null, null, why); }

    /** The file the secret came from (null when unavailable). */
    public Path file() { return file; }

    /** Names the secret: the first 8 bytes of SHA-256 over a label and the secret, in hex. */
    public String keyId() {
        require();
        return keyId;
    }

    /** The sealed form of {@code pem}, bound to {@code fingerprint}. */
    public String seal(String pem, String fingerprint) {
        require();
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(fingerprint.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = c.doFinal(pem.getBytes(StandardCharsets.US_ASCII));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt TLS key " + fingerprint + ": " + e, e);
        }
    }

    /** The PEM sealed in {@code sealed}; refused (naming the file) when it was not sealed under this secret for {@code fingerprint}. */
    public String open(String sealed, String fingerprint) {
        require();
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            if (in.length < IV_BYTES + TAG_BITS / 8) throw new AEADBadTagException("too short");
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            c.updateAAD(fingerprint.getBytes(StandardCharsets.US_ASCII));
            return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.US_ASCII);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored TLS key " + fingerprint + " does not decrypt with the key file " + file
                    + " (a different key file than it was written with, or a damaged row)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt TLS key " + fingerprint + ": " + e, e);
        }
    }

    private void require() {
        if (unavailable != null) throw new IllegalStateException("TLS keys cannot be stored or read: " + unavailable);
    }

    private static byte[] createFile(Path file) throws IOException {
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(owner));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            return open(file, false).key.getEncoded(); // another process of this node created it first
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.US_ASCII);
        return secret;
    }

    private static String idOf(byte[] secret) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("bulwark tls key id\0".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest(secret), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
