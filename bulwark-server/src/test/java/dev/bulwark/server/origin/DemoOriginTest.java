package dev.bulwark.server.origin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo origin over real sockets. */
class DemoOriginTest {
    private static DemoOrigin origin;
    private static final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1);
    }

    @AfterAll
    static void stop() { origin.close(); }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(origin.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void homePageShowsForwardingHeadersEscaped() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(origin.url() + "/"))
                .header("Bulwark-Request-Id", "req-<42>").header("X-Forwarded-For", "203.0.113.9").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(r.body()).contains("Bulwark demo origin", "203.0.113.9", "req-&lt;42&gt;", "reached through Bulwark")
                .doesNotContain("req-<42>");
    }

    @Test
    void homePageSaysWhenReachedDirectly() throws Exception {
        assertThat(get("/").body()).contains("reached directly");
    }

    @Test
    void healthAndOneKibibyte() throws Exception {
        assertThat(get("/healthz").body()).isEqualTo("ok\n");
        HttpResponse<String> r = get("/1k");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(1024);
        assertThat(r.headers().firstValue("content-length")).hasValue("1024");
        assertThat(get("/1k").body()).isEqualTo(r.body()); // the shared buffer is not consumed by the first response
    }

    @Test
    void bytesStreamsExactlyNBytesChunked() throws Exception {
        long n = 5L * 1024 * 1024 + 7;
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(origin.url() + "/bytes/" + n)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int k; (k = in.read(buf)) >= 0; ) total += k;
        }
        assertThat(total).isEqualTo(n);
        assertThat(get("/bytes/0").body()).isEmpty();
    }

    @Test
    void uploadAnswersLengthAndSha256OfAStreamedBody() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 11];
        new Random(7).nextBytes(body);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(origin.url() + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode j = json.readTree(r.body());
        assertThat(j.get("bytes").asLong()).isEqualTo(body.length);
        assertThat(j.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    }

    @Test
    void echoReturnsMethodHeadersAndBody() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(origin.url() + "/echo?x=1"))
                .header("X-Test", "a").method("PUT", HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode j = json.readTree(r.body());
        assertThat(j.get("method").asText()).isEqualTo("PUT");
        assertThat(j.get("uri").asText()).isEqualTo("/echo?x=1");
        assertThat(j.get("headers").get("x-test").get(0).asText()).isEqualTo("a");
        assertThat(j.get("body").asText()).isEqualTo("hello");
        assertThat(j.get("body_bytes").asLong()).isEqualTo(5);
    }

    @Test
    void delayWaitsAndStatusAnswersTheCode() throws Exception {
        long t0 = System.nanoTime();
        assertThat(get("/delay/150").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(get("/status/503").statusCode()).isEqualTo(503);
        assertThat(get("/status/204").statusCode()).isEqualTo(204);
        assertThat(get("/status/42").statusCode()).isEqualTo(400);
        assertThat(get("/delay/999999").statusCode()).isEqualTo(400);
        assertThat(get("/bytes/abc").statusCode()).isEqualTo(400);
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void keepsTheConnectionAliveAndAnswersPipelinedRequestsInOrder() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(origin.address(), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            // the delayed request must still be answered first
            out.write(("GET /delay/100 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /status/201 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            int a = all.indexOf("HTTP/1.1 200"), b = all.indexOf("HTTP/1.1 201"), c = all.lastIndexOf("HTTP/1.1 200");
            assertThat(a).isGreaterThanOrEqualTo(0);
            assertThat(b).isGreaterThan(a);
            assertThat(c).isGreaterThan(b);
            assertThat(all).contains("delayed 100 ms").endsWith("ok\n");
        }
    }

    @Test
    void malformedRequestGets400AndClose() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(origin.address(), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void statsCountsEveryRequestReceivedButItself() throws Exception {
        try (DemoOrigin own = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1)) {
            HttpRequest stats = HttpRequest.newBuilder(URI.create(own.url() + "/stats")).build();
            assertThat(json.readTree(client.send(stats, HttpResponse.BodyHandlers.ofString()).body()).get("requests").asLong()).isZero();
            for (String path : new String[] {"/1k", "/healthz", "/nowhere", "/status/503"}) {
                client.send(HttpRequest.newBuilder(URI.create(own.url() + path)).build(), HttpResponse.BodyHandlers.discarding());
            }
            JsonNode after = json.readTree(client.send(stats, HttpResponse.BodyHandlers.ofString()).body());
            assertThat(after.get("requests").asLong()).isEqualTo(4);
            assertThat(own.requestsReceived()).isEqualTo(4);
        }
    }
}
