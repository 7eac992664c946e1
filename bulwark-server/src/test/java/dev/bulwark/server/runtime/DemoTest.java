package dev.bulwark.server.runtime;

import dev.bulwark.core.net.HostPort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code bulwark demo} on port-0 addresses: real edge, real demo origin, real admin listener. */
class DemoTest {
    @TempDir
    static Path dataDir;
    private static Demo demo;
    private static Path accessLog;

    @BeforeAll
    static void start() throws Exception {
        HostPort any = HostPort.parse("127.0.0.1:0");
        accessLog = dataDir.resolve("logs/access.log");
        demo = Demo.start(any, any, any, any, dataDir, accessLog.toString());
    }

    @AfterAll
    static void stop() {
        if (demo != null) demo.shutdown(Duration.ofSeconds(1));
    }

    private static String url(String listener, String scheme, String path) {
        InetSocketAddress a = demo.node().listeners().get(listener);
        return scheme + "://127.0.0.1:" + a.getPort() + path;
    }

    /** A client TLS context that trusts only the demo CA the run generated. */
    private static SSLContext trustingTheDemoCa() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(demo.certificateAuthority())) {
            trust.setCertificateEntry("demo", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    @Test
    void httpReachesTheDemoOriginThroughTheEdge() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url("http", "http", "/"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Bulwark demo origin", "reached through Bulwark", "127.0.0.1");
        String requestId = r.headers().firstValue("bulwark-request-id").orElseThrow();
        assertThat(r.body()).contains(requestId);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(accessLog) && Files.readString(accessLog).contains(requestId));
        assertThat(Files.readString(accessLog).lines().filter(l -> l.contains(requestId)).findFirst().orElseThrow())
                .startsWith("{").contains("\"demo\"");
    }

    @Test
    void httpsServesHttp2WithTheGeneratedCertificate() throws Exception {
        SSLContext ssl = trustingTheDemoCa();
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
        InetSocketAddress a = demo.node().listeners().get("https");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + a.getPort() + "/echo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).contains("x-forwarded-proto").contains("https");
    }

    @Test
    void theCertificateCoversSubdomainsOfTheDemoZone() throws Exception {
        SSLContext ssl = trustingTheDemoCa();
        InetSocketAddress a = demo.node().listeners().get("https");
        // connect to the loopback address but name the subdomain: SNI and hostname verification use it
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", a.getPort());
             javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ssl.getSocketFactory().createSocket(raw, "app.demo.localhost", a.getPort(), true)) {
            javax.net.ssl.SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.startHandshake(); // throws when no name of the certificate matches
            java.security.cert.X509Certificate leaf = (java.security.cert.X509Certificate) tls.getSession().getPeerCertificates()[0];
            assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                    .contains("*.demo.localhost", "demo.localhost", "localhost", "127.0.0.1");
        }
    }

    @Test
    void theCertificateIsReusedOnTheNextStart() throws Exception {
        Path dir = dataDir.resolve("reuse"); // not the running demo's files
        String pem = Files.readString(Path.of(DemoCertificate.ensure(dir, StartupConfigs.DEMO_HOSTS).cert()));
        assertThat(Files.readString(Path.of(DemoCertificate.ensure(dir, StartupConfigs.DEMO_HOSTS).cert()))).isEqualTo(pem);
        Files.delete(DemoCertificate.caFile(dir));
        String renewed = Files.readString(Path.of(DemoCertificate.ensure(dir, StartupConfigs.DEMO_HOSTS).cert()));
        assertThat(renewed).isNotEqualTo(pem); // a lost CA means a new pair
        assertThat(DemoCertificate.caFile(dir)).exists();
        String narrower = Files.readString(Path.of(DemoCertificate.ensure(dir, java.util.List.of("demo.localhost", "other.localhost")).cert()));
        assertThat(narrower).isNotEqualTo(renewed); // a host the old certificate does not name
    }

    @Test
    void adminExportsEdgeAndJvmMetrics() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        client.send(HttpRequest.newBuilder(URI.create(url("http", "http", "/1k"))).build(), HttpResponse.BodyHandlers.discarding());
        String metrics = client.send(HttpRequest.newBuilder(URI.create(demo.node().adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("jvm_memory_used_bytes").containsPattern("(?m)^bulwark_\\w+.*zone=\"demo\"");
    }

    @Test
    void anUnknownHostIsAnsweredByTheEdge() throws Exception {
        String r = dev.bulwark.server.RawHttp.get(demo.node().listeners().get("http"), "elsewhere.test", "/");
        assertThat(dev.bulwark.server.RawHttp.status(r)).isIn(404, 421);
        assertThat(r).doesNotContain("Bulwark demo origin");
        String sub = dev.bulwark.server.RawHttp.get(demo.node().listeners().get("http"), "www.demo.localhost", "/");
        assertThat(dev.bulwark.server.RawHttp.status(sub)).isEqualTo(200);
        assertThat(sub).contains("www.demo.localhost");
    }

    @Test
    void reloadIsRefusedBecauseTheDemoHasNoConfigFile() {
        ReloadOutcome o = demo.node().reloader().reload();
        assertThat(o).isInstanceOf(ReloadOutcome.Refused.class);
        assertThat(((ReloadOutcome.Refused) o).noSource()).isTrue();
    }
}
