package dev.bulwark.core.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The key encodings openssl writes, read by {@link PemCertificates#key}: PKCS#1 RSA and SEC1 EC
 * give the same key as openssl's own PKCS#8 of it; encrypted keys of both kinds are refused.
 * Skipped, saying so, when openssl is not installed (the JDK-encoded cases are in the control
 * plane's TlsCertificateStoreTest and the it module).
 */
class PemKeyFormatsOpensslTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void needsOpenssl() {
        assumeTrue(run("openssl", "version") != null, "openssl is not installed: skipping the openssl-made keys");
    }

    @Test
    void pkcs1RsaIsTheSameKeyAsItsPkcs8() throws Exception {
        Path k = dir.resolve("rsa.pem");
        assertThat(run("openssl", "genrsa", "-traditional", "-out", k.toString(), "2048")).isNotNull();
        String pkcs1 = Files.readString(k);
        assertThat(pkcs1).contains("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PemCertificates.key(pkcs1).getEncoded()).isEqualTo(PemCertificates.key(pkcs8Of(k)).getEncoded());
    }

    @Test
    void sec1EcIsTheSameKeyAsItsPkcs8() throws Exception {
        for (String curve : List.of("prime256v1", "secp384r1")) {
            Path k = dir.resolve(curve + ".pem");
            // -param_out style output: an EC PARAMETERS block first, as `openssl ecparam -genkey` writes by default
            assertThat(run("openssl", "ecparam", "-name", curve, "-genkey", "-out", k.toString())).isNotNull();
            String sec1 = Files.readString(k);
            assertThat(sec1).contains("-----BEGIN EC PARAMETERS-----").contains("-----BEGIN EC PRIVATE KEY-----");
            assertThat(PemCertificates.key(sec1).getAlgorithm()).isEqualTo("EC");
            assertThat(PemCertificates.key(sec1).getEncoded()).as(curve).isEqualTo(PemCertificates.key(pkcs8Of(k)).getEncoded());
        }
    }

    @Test
    void encryptedKeysAreRefusedClearly() throws Exception {
        Path traditional = dir.resolve("enc-rsa.pem"), pkcs8 = dir.resolve("enc-pkcs8.pem");
        assertThat(run("openssl", "genrsa", "-traditional", "-aes256", "-passout", "pass:secret", "-out", traditional.toString(), "2048")).isNotNull();
        assertThat(run("openssl", "pkcs8", "-topk8", "-v2", "aes256", "-passin", "pass:secret", "-passout", "pass:secret",
                "-in", traditional.toString(), "-out", pkcs8.toString())).isNotNull();
        assertThat(Files.readString(traditional)).contains("Proc-Type: 4,ENCRYPTED");
        assertThat(Files.readString(pkcs8)).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        for (Path p : List.of(traditional, pkcs8)) {
            assertThatThrownBy(() -> PemCertificates.key(Files.readString(p))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("encrypted with a passphrase");
        }
    }

    @Test
    void otherKeyTypesAndGarbageAreRefused() {
        assertThatThrownBy(() -> PemCertificates.key("-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQ\n-----END DSA PRIVATE KEY-----\n"))
                .hasMessageContaining("DSA PRIVATE KEY block is not supported");
        assertThatThrownBy(() -> PemCertificates.key("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
                .hasMessageContaining("not a valid RSA private key");
        assertThatThrownBy(() -> PemCertificates.key("hello")).hasMessageContaining("no PEM private key");
    }

    private static String pkcs8Of(Path key) throws Exception {
        Path out = dir.resolve(key.getFileName() + ".p8");
        assertThat(run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", key.toString(), "-out", out.toString())).isNotNull();
        String pem = Files.readString(out);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        return pem;
    }

    /** Runs a command (bounded to 60 s); its output, or null when it is missing or fails. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (Exception e) {
            return null;
        }
    }
}
