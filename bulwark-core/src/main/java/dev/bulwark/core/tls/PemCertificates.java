package dev.bulwark.core.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM certificate chains and private keys, with the JDK alone: parsing (PKCS#8
 * {@code PRIVATE KEY} for RSA, EC and EdDSA), whether a key belongs to a certificate (a
 * signature made with the key verifies with the certificate), and the SHA-256 fingerprint of a
 * certificate's public key that names a stored key. Used by the edge to build its TLS contexts
 * and by the control plane to refuse a bad pair on write.
 */
public final class PemCertificates {
    private static final Pattern KEY = Pattern.compile("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(.*?)-----END \\1PRIVATE KEY-----", Pattern.DOTALL);

    private PemCertificates() {}

    /** The certificates of a PEM chain, leaf first; refused when there is none or one does not parse. */
    public static List<X509Certificate> chain(String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) throw new IllegalArgumentException("no PEM certificate (-----BEGIN CERTIFICATE-----)");
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) throw new IllegalArgumentException("no PEM certificate");
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a valid PEM certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The private key of a PEM block: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
     * ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}), the last two
     * converted to PKCS#8. Encrypted keys are refused: the edge has no passphrase to open them.
     */
    public static PrivateKey key(String pem) {
        Matcher m = pem == null ? null : KEY.matcher(pem);
        if (m == null || !m.find()) throw new IllegalArgumentException("no PEM private key (-----BEGIN PRIVATE KEY-----)");
        String type = m.group(1).trim(), body = m.group(2);
        if (type.equals("ENCRYPTED") || body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
            throw new IllegalArgumentException("the private key is encrypted with a passphrase: store it unencrypted (openssl pkey -in KEY -out PLAIN)");
        }
        if (!type.isEmpty() && !type.equals("RSA") && !type.equals("EC")) {
            throw new IllegalArgumentException("a " + type + " PRIVATE KEY block is not supported: give PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 RSA or SEC1 EC");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the private key is not valid base64");
        }
        List<String> algorithms = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
        try {
            if (type.equals("RSA")) {
                der = TraditionalKeys.fromPkcs1(der);
                algorithms = List.of("RSA");
            } else if (type.equals("EC")) {
                der = TraditionalKeys.fromSec1(der);
                algorithms = List.of("EC");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid " + type + " private key: " + e.getMessage());
        }
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(type.isEmpty() ? "not a valid PKCS#8 private key (RSA, EC or EdDSA)" : "not a valid " + type + " private key");
    }

    /** True when {@code key} is the private half of {@code cert}'s public key. */
    public static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            s.initSign(key);
            s.update(probe);
            byte[] signature = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // different algorithms, or the key does not fit the certificate
        }
    }

    /** {@code sha256:<hex>} of the certificate's SubjectPublicKeyInfo: names the key of this certificate. */
    public static String publicKeyFingerprint(X509Certificate cert) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A problem with a pair, naming the field ({@code cert_pem} or {@code key_pem}). */
    public record Problem(String field, String reason) {}

    /** Every problem of a chain and key given as text: unparseable, key not matching, not yet or no longer valid at {@code now}. */
    public static List<Problem> check(String certPem, String keyPem, Instant now) {
        List<Problem> out = new ArrayList<>();
        X509Certificate leaf = null;
        try {
            List<X509Certificate> chain = chain(certPem);
            leaf = chain.getFirst();
            for (X509Certificate c : chain) {
                if (c.getNotAfter().toInstant().isBefore(now)) {
                    out.add(new Problem("cert_pem", "certificate " + c.getSubjectX500Principal().getName() + " expired on " + c.getNotAfter().toInstant()));
                } else if (c.getNotBefore().toInstant().isAfter(now)) {
                    out.add(new Problem("cert_pem", "certificate " + c.getSubjectX500Principal().getName() + " is not valid before " + c.getNotBefore().toInstant()));
                }
            }
        } catch (IllegalArgumentException e) {
            out.add(new Problem("cert_pem", e.getMessage()));
        }
        try {
            PrivateKey key = key(keyPem);
            if (leaf != null && !matches(key, leaf)) out.add(new Problem("key_pem", "the private key does not belong to the certificate"));
        } catch (IllegalArgumentException e) {
            out.add(new Problem("key_pem", e.getMessage()));
        }
        return out;
    }
}
