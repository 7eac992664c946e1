package dev.bulwark.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.EdgeConfig;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.control.store.TestCertificates;
import dev.bulwark.core.tls.PemCertificates;
import dev.bulwark.server.runtime.ControlWiring;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A zone created through the API with its certificate chain and key as PEM text is served by the
 * running edge over TLS, chosen by SNI, within a second; the key never comes back out of the API.
 */
class TlsFromStoreEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    private StoreBackedNode n;
    private X509Bundle root;

    @BeforeEach
    void start() throws Exception {
        n = StoreBackedNode.start(dataDir, proxy -> {
            List<ListenerConfig> listeners = new ArrayList<>(proxy.edge().listeners());
            listeners.add(new ListenerConfig("https", "127.0.0.1:0", ListenerConfig.Protocol.HTTPS, null, ListenerConfig.UnknownSni.CLOSE));
            return new BulwarkConfig(new EdgeConfig(listeners, null, null, null, "off", 1), proxy.admin(), null, proxy.zones());
        });
        root = new CertificateBuilder().subject("CN=Bulwark it root").ecp256().setIsCertificateAuthority(true)
                .notBefore(Instant.now().minus(Duration.ofDays(1))).notAfter(Instant.now().plus(Duration.ofDays(2))).buildSelfSigned();
    }

    @AfterEach
    void stop() {
        if (n != null) n.close();
    }

    @Test
    void aZoneCertificateGivenAsPemIsServedBySni() throws Exception {
        X509Bundle leaf = new CertificateBuilder().subject("CN=secure.test").ecp256().addSanDnsName("secure.test")
                .notBefore(Instant.now().minus(Duration.ofDays(1))).notAfter(Instant.now().plus(Duration.ofDays(1)))
                .addExtendedKeyUsageServerAuth().buildIssuedBy(root);
        HttpResponse<String> created = createZone("secure", leaf.getCertificatePathPEM(), leaf.getPrivateKeyPEM());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("PRIVATE KEY");

        InetSocketAddress https = n.node.listeners().get("https");
        long t0 = System.nanoTime();
        String answer = null;
        while (answer == null && System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos()) {
            try {
                answer = getOverTls(https, "secure.test");
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
        }
        assertThat(answer).as("served over TLS within a second").isNotNull();
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThatThrownBy(() -> getOverTls(https, "unknown.test")).as("unknown SNI is closed").isInstanceOf(IOException.class);
    }

    /**
     * A zone whose key is PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, encoded by the test from the
     * key's numbers) completes a real TLS handshake on the edge, also after the control plane
     * restarts on the same data directory and key file (the key is stored encrypted).
     */
    @Test
    void aPkcs1RsaKeyIsServedAndStillServedAfterAControlPlaneRestart() throws Exception {
        TestCertificates.Pair pair = TestCertificates.rsaPkcs1("legacy.test");
        assertThat(pair.keyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        List<X509Certificate> chain = PemCertificates.chain(pair.certPem());
        X509Certificate issuer = chain.getLast();
        HttpResponse<String> created = createZone("legacy", pair.certPem(), pair.keyPem());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(served(n.node.listeners().get("https"), "legacy.test", issuer)).startsWith("HTTP/1.1 200");

        n.node.shutdown(Duration.ofSeconds(1));
        n.control.close();
        n.node = null;
        n.control = ControlWiring.open(dataDir, null, null, null, n.config);
        n.node = n.control.startNode(n.config);
        assertThat(served(n.node.listeners().get("https"), "legacy.test", issuer)).as("after the restart").startsWith("HTTP/1.1 200");
    }

    /** POST /api/v1/zones: zone {@code id} for host {@code id.test} in front of the origin, with this certificate and key. */
    private HttpResponse<String> createZone(String id, String certPem, String keyPem) throws Exception {
        ObjectNode zone = JSON.createObjectNode().put("id", id);
        zone.putArray("hostnames").add(id + ".test");
        zone.putObject("origins").putArray("servers").addObject().put("url", n.origin.url());
        zone.putObject("tls").put("cert_pem", certPem).put("key_pem", keyPem);
        return n.api("POST", "/api/v1/zones", zone.toString());
    }

    /** The answer to GET / over TLS once the edge serves {@code host} (within 5 s). */
    private String served(InetSocketAddress https, String host, X509Certificate trusted) throws Exception {
        long t0 = System.nanoTime();
        IOException last = null;
        while (System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos()) {
            try {
                return getOverTls(https, host, trusted);
            } catch (IOException notYet) {
                last = notYet;
                Thread.sleep(10);
            }
        }
        throw new AssertionError("not served over TLS within 5 s", last);
    }

    private String getOverTls(InetSocketAddress to, String host) throws Exception { return getOverTls(to, host, root.getCertificate()); }

    /** GET / with SNI {@code host}, trusting only {@code trusted}; checks the certificate names the host. */
    private String getOverTls(InetSocketAddress to, String host, X509Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(to.getAddress(), to.getPort())) {
            s.setSoTimeout(5000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            p.setApplicationProtocols(new String[]{"http/1.1"});
            s.setSSLParameters(p);
            s.startHandshake();
            X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
            assertThat(peer.getSubjectX500Principal().getName()).isEqualTo("CN=" + host);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
