package dev.bulwark.server.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.RawHttp;
import dev.bulwark.server.origin.DemoOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code bulwark proxy}: a one-zone config from flags, in front of the demo origin. */
class ProxyTest {
    private static DemoOrigin origin;
    private static BulwarkNode node;
    private static InetSocketAddress edge;
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1);
        BulwarkConfig cfg = StartupConfigs.proxy(HostPort.parse("127.0.0.1:0"), origin.url(), List.of("App.Example.test"),
                HostPort.parse("127.0.0.1:0"), "off", 1);
        node = BulwarkNode.start(cfg, null, List.of());
        edge = node.listeners().get("http");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.shutdown(Duration.ofSeconds(1));
        if (origin != null) origin.close();
    }

    @Test
    void answersTheLoopbackNamesAndExtraHostsOnly() throws Exception {
        assertThat(RawHttp.status(RawHttp.get(edge, "127.0.0.1:" + edge.getPort(), "/healthz"))).isEqualTo(200);
        assertThat(RawHttp.status(RawHttp.get(edge, "localhost", "/healthz"))).isEqualTo(200);
        assertThat(RawHttp.status(RawHttp.get(edge, "app.example.test", "/healthz"))).isEqualTo(200);
        assertThat(RawHttp.status(RawHttp.get(edge, "other.test", "/healthz"))).isIn(404, 421);
    }

    @Test
    void withoutHostFlagsEveryHostIsAnswered() throws Exception {
        BulwarkNode any = BulwarkNode.start(StartupConfigs.proxy(HostPort.parse("127.0.0.1:0"), origin.url(), List.of(),
                HostPort.parse("127.0.0.1:0"), "off", 1), null, List.of());
        try {
            InetSocketAddress e = any.listeners().get("http");
            assertThat(RawHttp.status(RawHttp.get(e, "other.test", "/healthz"))).isEqualTo(200);
            assertThat(RawHttp.status(RawHttp.get(e, "www.some-site.example:8080", "/healthz"))).isEqualTo(200);
            assertThat(RawHttp.status(RawHttp.get(e, "localhost", "/healthz"))).isEqualTo(200);
        } finally {
            any.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void streamsLargeBodiesBothWays() throws Exception {
        long down = 64L * 1024 * 1024;
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.getPort() + "/bytes/" + down)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int k; (k = in.read(buf)) >= 0; ) n += k;
        }
        assertThat(n).isEqualTo(down);

        int chunk = 1024 * 1024, chunks = 24;
        byte[] block = new byte[chunk];
        new java.util.Random(3).nextBytes(block);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < chunks; i++) sha.update(block);
        HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.getPort() + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                    private long left = (long) chunk * chunks;
                    @Override public int read() { return left-- > 0 ? block[(int) (left % chunk)] & 0xff : -1; }
                    @Override public int read(byte[] b, int off, int len) {
                        if (left <= 0) return -1;
                        int pos = (int) (((long) chunk * chunks - left) % chunk);
                        int k = (int) Math.min(Math.min(len, left), chunk - pos);
                        System.arraycopy(block, pos, b, off, k);
                        left -= k;
                        return k;
                    }
                })).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = new ObjectMapper().readTree(up.body());
        assertThat(j.get("bytes").asLong()).isEqualTo((long) chunk * chunks);
        assertThat(j.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void originFormsAndBadHostsAreHandled() throws Exception {
        assertThat(StartupConfigs.originUrl("127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
        assertThat(StartupConfigs.originUrl("https://origin.test/")).isEqualTo("https://origin.test");
        BulwarkConfig c = StartupConfigs.proxy(HostPort.parse("0.0.0.0:8100"), "127.0.0.1:8080", List.of("a.test"),
                HostPort.parse("127.0.0.1:9090"), "stdout", 0);
        assertThat(c.zones().getFirst().hostnames()).containsExactly("a.test", "localhost", "127.0.0.1");
        BulwarkConfig any = StartupConfigs.proxy(HostPort.parse("127.0.0.1:8100"), "127.0.0.1:8080", List.of(),
                HostPort.parse("127.0.0.1:9090"), "stdout", 0);
        assertThat(any.zones().getFirst().hostnames()).containsExactly("*");
        assertThatThrownBy(() -> StartupConfigs.proxy(HostPort.parse("127.0.0.1:8100"), "http://o.test:1", List.of("bad host!"),
                HostPort.parse("127.0.0.1:9090"), "stdout", 0))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'bad host!' is not a hostname");
        assertThatThrownBy(() -> StartupConfigs.proxy(HostPort.parse("127.0.0.1:8100"), "http://o.test/app", List.of(),
                HostPort.parse("127.0.0.1:9090"), "stdout", 0))
                .hasMessageContaining("must not have a path");
    }
}
