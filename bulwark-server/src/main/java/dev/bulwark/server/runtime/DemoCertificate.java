package dev.bulwark.server.runtime;

import dev.bulwark.core.config.CertificateConfig;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate of {@code bulwark demo}: a throwaway CA ({@code demo-ca.pem}, its key is
 * never stored) issues a server certificate for the demo hosts. Created in the data directory
 * on first start and reused while it is valid for another day and names the same hosts, so a
 * browser exception or a {@code curl --cacert} set up once keeps working.
 */
public final class DemoCertificate {
    private static final Logger log = LoggerFactory.getLogger(DemoCertificate.class);
    static final String CERT_FILE = "demo-cert.pem";
    static final String KEY_FILE = "demo-key.pem";
    static final String CA_FILE = "demo-ca.pem";

    private DemoCertificate() {}

    /** Returns PEM files for {@code dnsNames} (and any IP literals among them) under {@code dataDir}. */
    public static CertificateConfig ensure(Path dataDir, List<String> names) throws IOException {
        Path cert = dataDir.resolve(CERT_FILE);
        Path key = dataDir.resolve(KEY_FILE);
        if (Files.isReadable(cert) && Files.isReadable(key) && Files.isReadable(dataDir.resolve(CA_FILE)) && stillGood(cert, names)) {
            return new CertificateConfig(cert.toString(), key.toString());
        }
        Files.createDirectories(dataDir);
        X509Bundle[] caAndLeaf = generate(names);
        Files.writeString(dataDir.resolve(CA_FILE), caAndLeaf[0].getCertificatePEM(), StandardCharsets.US_ASCII);
        X509Bundle bundle = caAndLeaf[1];
        Files.writeString(cert, bundle.getCertificatePEM(), StandardCharsets.US_ASCII);
        writePrivate(key, bundle.getPrivateKeyPEM());
        log.info("generated the demo certificate {} (issuer: {})", cert, dataDir.resolve(CA_FILE));
        return new CertificateConfig(cert.toString(), key.toString());
    }

    /** The CA a client can trust instead of skipping verification: {@code curl --cacert DIR/demo-ca.pem}. */
    public static Path caFile(Path dataDir) { return dataDir.resolve(CA_FILE); }

    /** A throwaway CA (its key is never written) and the server certificate it issues. */
    private static X509Bundle[] generate(List<String> names) throws IOException {
        CertificateBuilder ca = new CertificateBuilder()
                .subject("CN=Bulwark demo CA, O=Bulwark")
                .notBefore(Instant.now().minus(Duration.ofDays(1)))
                .notAfter(Instant.now().plus(Duration.ofDays(366)))
                .ecp256()
                .setIsCertificateAuthority(true);
        CertificateBuilder b = new CertificateBuilder()
                .subject("CN=" + names.getFirst() + ", O=Bulwark demo")
                .notBefore(Instant.now().minus(Duration.ofDays(1)))
                .notAfter(Instant.now().plus(Duration.ofDays(365)))
                .ecp256()
                .setIsCertificateAuthority(false)
                .addExtendedKeyUsageServerAuth();
        try {
            b.addExtensionOctetString(Extension.subjectAlternativeName.getId(), false, subjectAltNames(names));
            X509Bundle root = ca.buildSelfSigned();
            return new X509Bundle[]{root, b.buildIssuedBy(root)};
        } catch (Exception e) {
            throw new IOException("cannot generate the demo certificate: " + e.getMessage(), e);
        }
    }

    private static boolean stillGood(Path cert, List<String> names) {
        try (InputStream in = Files.newInputStream(cert)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            if (c.getNotAfter().toInstant().isBefore(Instant.now().plus(Duration.ofDays(1)))) return false;
            Set<String> sans = new HashSet<>();
            Collection<List<?>> alt = c.getSubjectAlternativeNames();
            if (alt != null) for (List<?> entry : alt) sans.add(String.valueOf(entry.get(1)));
            return sans.containsAll(names);
        } catch (Exception e) {
            return false; // unreadable or foreign file: make a fresh one
        }
    }

    private static void writePrivate(Path key, String pem) throws IOException {
        Files.deleteIfExists(key);
        try {
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(key);
        }
        Files.writeString(key, pem, StandardCharsets.US_ASCII);
    }

    /**
     * The subjectAltName extension, encoded here because Netty's test-PKI builder cannot write a
     * wildcard name ({@code *.demo.localhost}: it parses each name as a URI host).
     */
    private static byte[] subjectAltNames(List<String> names) throws IOException {
        GeneralName[] sans = names.stream()
                .map(n -> isIpLiteral(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        return new GeneralNames(sans).getEncoded();
    }

    private static boolean isIpLiteral(String s) {
        return s.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.') || s.indexOf(':') >= 0;
    }
}
