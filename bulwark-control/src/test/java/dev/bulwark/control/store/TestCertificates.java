package dev.bulwark.control.store;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import java.time.Duration;
import java.time.Instant;

/** Certificates for tests: a PEM chain and its PKCS#8 key, valid or expired. */
public final class TestCertificates {
    public record Pair(String certPem, String keyPem) {}

    private TestCertificates() {}

    public static Pair valid(String host) { return make(host, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30))); }

    public static Pair expired(String host) { return make(host, Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))); }

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
