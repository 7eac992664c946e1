package dev.bulwark.edge.support;

import dev.bulwark.core.config.CertificateConfig;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Test certificates written as PEM files, and a TLS socket client that sends a chosen SNI. */
public final class Certs {
    private Certs() {}

    private static X509Bundle root;

    private static synchronized X509Bundle root() throws Exception {
        if (root == null) {
            root = new CertificateBuilder().subject("CN=Bulwark Test Root").ecp256().setIsCertificateAuthority(true)
                    .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                    .buildSelfSigned();
        }
        return root;
    }

    /** A certificate for {@code names} (the first one is the subject CN) from a test root, as PEM files in {@code dir}. */
    public static CertificateConfig pem(Path dir, String... names) throws Exception {
        CertificateBuilder b = new CertificateBuilder().subject("CN=" + names[0]).ecp256()
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                .addExtendedKeyUsageServerAuth();
        for (String n : names) b.addSanDnsName(n);
        X509Bundle bundle = b.buildIssuedBy(root());
        String stem = names[0].replace('*', '_');
        Path cert = dir.resolve(stem + ".crt");
        Path key = dir.resolve(stem + ".key");
        Files.writeString(cert, bundle.getCertificatePathPEM());
        Files.writeString(key, bundle.getPrivateKeyPEM());
        return new CertificateConfig(cert.toString(), key.toString());
    }

    /** Trusts anything: these tests check which certificate the edge chose, not the chain. */
    public static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        return ctx;
    }

    /** Opens a TLS connection sending {@code sni} (none when null) and completes the handshake. */
    public static SSLSocket connect(InetSocketAddress address, String sni) throws Exception {
        SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket(address.getAddress(), address.getPort());
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        p.setApplicationProtocols(new String[]{"http/1.1"});
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    public static String subjectOfPeer(SSLSocket s) throws Exception {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
}
