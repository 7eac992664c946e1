package dev.bulwark.control.store;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.time.Instant;

/**
 * Certificates for tests: a PEM chain and its PKCS#8 key, valid or expired; or with the key in a
 * traditional encoding (PKCS#1 RSA, SEC1 EC), encoded here from the key's numbers, independently
 * of the converter under test.
 */
public final class TestCertificates {
    public record Pair(String certPem, String keyPem) {}

    private TestCertificates() {}

    public static Pair valid(String host) { return make(host, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30))); }

    public static Pair expired(String host) { return make(host, Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))); }

    /** An RSA-2048 certificate whose key is PEM {@code RSA PRIVATE KEY} (PKCS#1). */
    public static Pair rsaPkcs1(String host) {
        KeyPair kp = generate("RSA", new java.security.spec.RSAKeyGenParameterSpec(2048, java.security.spec.RSAKeyGenParameterSpec.F4));
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) kp.getPrivate();
        byte[] der = seq(integer(BigInteger.ZERO), integer(k.getModulus()), integer(k.getPublicExponent()), integer(k.getPrivateExponent()),
                integer(k.getPrimeP()), integer(k.getPrimeQ()), integer(k.getPrimeExponentP()), integer(k.getPrimeExponentQ()), integer(k.getCrtCoefficient()));
        return new Pair(issue(host, kp), pem("RSA PRIVATE KEY", der));
    }

    /** A P-256 certificate whose key is PEM {@code EC PRIVATE KEY} (SEC1, curve named in [0]). */
    public static Pair ecSec1(String host) {
        KeyPair kp = generate("EC", new ECGenParameterSpec("secp256r1"));
        byte[] s = ((ECPrivateKey) kp.getPrivate()).getS().toByteArray();
        byte[] fixed = new byte[32]; // the private value as a 32-byte octet string
        System.arraycopy(s, Math.max(0, s.length - 32), fixed, Math.max(0, 32 - s.length), Math.min(32, s.length));
        byte[] prime256v1 = {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07};
        byte[] der = seq(integer(BigInteger.ONE), tlv(0x04, fixed), tlv(0xA0, prime256v1));
        return new Pair(issue(host, kp), pem("EC PRIVATE KEY", der));
    }

    private static KeyPair generate(String algorithm, java.security.spec.AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            g.initialize(spec);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String issue(String host, KeyPair kp) {
        try {
            return new CertificateBuilder().subject("CN=" + host).keyPair(kp).notBefore(Instant.now().minus(Duration.ofDays(1)))
                    .notAfter(Instant.now().plus(Duration.ofDays(30))).addSanDnsName(host).addExtendedKeyUsageServerAuth()
                    .buildIssuedBy(root()).getCertificatePathPEM();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] integer(BigInteger v) { return tlv(0x02, v.toByteArray()); }

    private static byte[] seq(byte[]... items) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] i : items) out.writeBytes(i);
        return tlv(0x30, out.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 128) out.write(n);
        else if (n < 256) { out.write(0x81); out.write(n); }
        else { out.write(0x82); out.write(n >> 8); out.write(n); }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static X509Bundle root;

    private static synchronized X509Bundle root() throws Exception {
        if (root == null) {
            root = new CertificateBuilder().subject("CN=Bulwark test root").ecp256().setIsCertificateAuthority(true)
                    .notBefore(Instant.now().minus(Duration.ofDays(60))).notAfter(Instant.now().plus(Duration.ofDays(60))).buildSelfSigned();
        }
        return root;
    }

    private static Pair make(String host, Instant from, Instant to) {
        try {
            X509Bundle b = new CertificateBuilder().subject("CN=" + host).ecp256().notBefore(from).notAfter(to)
                    .addSanDnsName(host).addExtendedKeyUsageServerAuth().buildIssuedBy(root());
            return new Pair(b.getCertificatePathPEM(), b.getPrivateKeyPEM());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
