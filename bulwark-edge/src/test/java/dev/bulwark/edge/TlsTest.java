package dev.bulwark.edge;

import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.edge.support.Certs;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS termination: certificate per zone by SNI, unknown SNI both ways, 421 on mismatch, h2 by ALPN. */
class TlsTest {
    @TempDir
    static Path dir;
    private static TestOrigin origin;
    private static Edge edge;
    private static InetSocketAddress lenient;
    private static InetSocketAddress strict;

    @BeforeAll
    static void start() throws Exception {
        origin = new TestOrigin();
        CertificateConfig a = Certs.pem(dir, "a.test");
        CertificateConfig b = Certs.pem(dir, "b.test");
        CertificateConfig local = Certs.pem(dir, "localhost");
        CertificateConfig fallback = Certs.pem(dir, "default.invalid");
        edge = Edge.start(Configs.create()
                .https("https", fallback, ListenerConfig.UnknownSni.DEFAULT_CERTIFICATE)
                .https("strict", fallback, ListenerConfig.UnknownSni.CLOSE)
                .zone(Configs.zone("a", List.of("a.test", "*.a.test"), a, Configs.pool(origin.url()), null, null))
                .zone(Configs.zone("b", List.of("b.test"), b, Configs.pool(origin.url()), null, null))
                .zone(Configs.zone("local", List.of("localhost"), local, Configs.pool(origin.url()), null, null))
                .build(), EdgeServices.quiet());
        lenient = edge.boundAddresses().get("https");
        strict = edge.boundAddresses().get("strict");
    }

    @AfterAll
    static void stop() {
        edge.close();
        origin.close();
    }

    @BeforeEach
    void clear() { origin.requests.clear(); }

    private static RawHttp.Response get(SSLSocket s, String host) throws Exception {
        try (RawHttp c = new RawHttp(s)) {
            return c.send("GET /hello HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        }
    }

    @Test
    void choosesTheZoneCertificateBySni() throws Exception {
        SSLSocket s = Certs.connect(lenient, "a.test");
        assertThat(Certs.subjectOfPeer(s)).isEqualTo("CN=a.test");
        assertThat(s.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(get(s, "a.test").status()).isEqualTo(200);
        assertThat(origin.last().header("X-Forwarded-Proto")).isEqualTo("https");

        SSLSocket w = Certs.connect(lenient, "www.a.test");
        assertThat(Certs.subjectOfPeer(w)).as("wildcard hostname").isEqualTo("CN=a.test");
        assertThat(get(w, "www.a.test").status()).isEqualTo(200);

        SSLSocket bs = Certs.connect(lenient, "b.test");
        assertThat(Certs.subjectOfPeer(bs)).isEqualTo("CN=b.test");
        assertThat(get(bs, "b.test").status()).isEqualTo(200);
    }

    @Test
    void unknownSniGetsTheDefaultCertificateAndUnknownHostsA421() throws Exception {
        SSLSocket s = Certs.connect(lenient, "nobody.test");
        assertThat(Certs.subjectOfPeer(s)).isEqualTo("CN=default.invalid");
        assertThat(get(s, "nobody.test").status()).as("no zone for the host at all: unknown site").isEqualTo(404);
        SSLSocket s2 = Certs.connect(lenient, "nobody.test");
        assertThat(get(s2, "other.test").status()).as("host differs from SNI and has no zone").isEqualTo(421);
        assertThat(origin.count()).isZero();
    }

    @Test
    void requestForAnotherZoneThanTheSniIsMisdirected() throws Exception {
        SSLSocket s = Certs.connect(lenient, "a.test");
        RawHttp.Response r = get(s, "b.test");
        assertThat(r.status()).isEqualTo(421);
        assertThat(r.body()).contains("different site");
        assertThat(origin.count()).isZero();
    }

    @Test
    void closeListenerRefusesUnknownSniButServesKnownOnes() throws Exception {
        assertThatThrownBy(() -> Certs.connect(strict, "nobody.test")).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> Certs.connect(strict, null)).as("no SNI at all").isInstanceOf(Exception.class);
        SSLSocket s = Certs.connect(strict, "b.test");
        assertThat(get(s, "b.test").status()).isEqualTo(200);
    }

    @Test
    void oldTlsVersionsAreRefused() throws Exception {
        SSLSocket s = (SSLSocket) Certs.trustAll().getSocketFactory().createSocket(lenient.getAddress(), lenient.getPort());
        s.setSoTimeout(5000);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[]{"TLSv1.1"});
        s.setSSLParameters(p);
        assertThatThrownBy(s::startHandshake).isInstanceOf(Exception.class);
        s.close();
    }

    @Test
    void http2OverTlsByAlpn() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(Certs.trustAll()).version(HttpClient.Version.HTTP_2).build();
        URI uri = URI.create("https://localhost:" + lenient.getPort() + "/headers");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("X-Test", "1").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("bulwark-request-id")).isPresent();
            assertThat(r.body()).containsIgnoringCase("x-test: 1").containsIgnoringCase("via: 2 bulwark")
                    .doesNotContain("x-http2-");
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + lenient.getPort() + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).isEqualTo("100000");
        HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + lenient.getPort() + "/"))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentStreamsOnOneHttp2Connection() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(Certs.trustAll()).version(HttpClient.Version.HTTP_2).build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            URI uri = URI.create("https://localhost:" + lenient.getPort() + (i % 2 == 0 ? "/slow?ms=50" : "/download?bytes=100000"));
            calls.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var c : calls) {
            HttpResponse<String> r = c.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.body()).satisfiesAnyOf(b -> assertThat(b).isEqualTo("slow"), b -> assertThat(b).hasSize(100000));
        }
    }

    @Test
    void zoneWithoutOwnCertificateFallsBackToTheDefault() throws Exception {
        ZoneConfig z = Configs.zone("plain", List.of("plain.test"), null, Configs.pool(origin.url()), null, null);
        assertThat(z.tls()).isNull();
        SSLSocket s = Certs.connect(lenient, "plain.test");
        assertThat(Certs.subjectOfPeer(s)).isEqualTo("CN=default.invalid");
    }
}
