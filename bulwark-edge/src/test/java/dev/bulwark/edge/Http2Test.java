package dev.bulwark.edge;

import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawH2;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** h2c with prior knowledge on the cleartext listener, and malformed HTTP/2 requests that must never reach the origin. */
class Http2Test {
    private static TestOrigin origin;
    private static Edge edge;
    private static InetSocketAddress http;

    @BeforeAll
    static void start() throws Exception {
        origin = new TestOrigin();
        edge = Edge.start(Configs.create().http().zone("app", "app.test", origin.url()).build(), EdgeServices.quiet());
        http = edge.boundAddresses().get("http");
    }

    @AfterAll
    static void stop() {
        edge.close();
        origin.close();
    }

    @BeforeEach
    void clear() { origin.requests.clear(); }

    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority("app.test").path(path);
    }

    @Test
    void priorKnowledgeGet() throws Exception {
        try (RawH2 c = new RawH2(http)) {
            RawH2.Result r = c.request(get("/hello"), null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello");
            assertThat(r.headers().get("bulwark-request-id")).isNotNull();
            assertThat(r.headers().get("keep-alive")).isNull();
        }
        TestOrigin.Seen seen = origin.last();
        assertThat(seen.header("Host")).isEqualTo("app.test");
        assertThat(seen.header("Via")).isEqualTo("2 bulwark");
        assertThat(seen.headers().keySet()).noneMatch(k -> k.startsWith("x-http2"));
    }

    @Test
    void priorKnowledgePostStreamsTheBody() throws Exception {
        try (RawH2 c = new RawH2(http)) {
            Http2Headers h = new DefaultHttp2Headers(false).method("POST").scheme("http").authority("app.test").path("/upload");
            RawH2.Result r = c.request(h, "0123456789".getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("10");
        }
    }

    @Test
    void expectContinueIsAnsweredWithAnInterim100BeforeTheBodyIsSent() throws Exception {
        try (RawH2 c = new RawH2(http)) {
            c.socket().setSoTimeout(5000);
            Http2Headers h = new DefaultHttp2Headers(false).method("POST").scheme("http").authority("app.test").path("/upload")
                    .add("content-length", "10").add("expect", "100-continue");
            c.sendNow(RawH2.HEADERS, 0x4, 1, RawH2.headerBlock(h)); // END_HEADERS; the body waits for the 100
            c.flush();
            assertThat(c.interim(1).status()).isEqualTo(100);
            c.sendNow(RawH2.DATA, 0x1, 1, "0123456789".getBytes(StandardCharsets.UTF_8));
            c.flush();
            RawH2.Result r = c.response(1);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("10");
        }
        assertThat(origin.last().header("Expect")).as("the edge met the expectation itself").isNull();
    }

    @Test
    void anExpectationOtherThan100ContinueIsRefusedOnItsStreamOnly() throws Exception {
        try (RawH2 c = new RawH2(http)) {
            Http2Headers h = new DefaultHttp2Headers(false).method("POST").scheme("http").authority("app.test").path("/upload")
                    .add("expect", "teapot");
            assertThat(c.request(h, "0123456789".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(417);
            assertThat(c.request(3, get("/hello"), null).status()).as("the connection goes on").isEqualTo(200);
        }
        assertThat(origin.requests).noneMatch(s -> s.uri().equals("/upload"));
    }

    @Test
    void unknownAuthorityIsAnsweredByTheEdge() throws Exception {
        try (RawH2 c = new RawH2(http)) {
            RawH2.Result r = c.request(new DefaultHttp2Headers(false).method("GET").scheme("http").authority("nobody.test").path("/"), null);
            assertThat(r.status()).isEqualTo(404);
        }
        assertThat(origin.count()).isZero();
    }

    @Test
    void http11StillWorksOnTheSameListener() throws Exception {
        assertThat(RawHttp.exchange(http, "GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").body()).isEqualTo("hello");
        // a request line that begins like the preface but is not one
        assertThat(RawHttp.exchange(http, "PRI /x HTTP/1.1\r\nHost: app.test\r\n\r\n").status()).isEqualTo(200);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("connection header", (Consumer<Http2Headers>) h -> h.add("connection", "keep-alive")),
                Arguments.of("keep-alive header", (Consumer<Http2Headers>) h -> h.add("keep-alive", "timeout=5")),
                Arguments.of("transfer-encoding header", (Consumer<Http2Headers>) h -> h.add("transfer-encoding", "chunked")),
                Arguments.of("upgrade header", (Consumer<Http2Headers>) h -> h.add("upgrade", "websocket")),
                Arguments.of("te other than trailers", (Consumer<Http2Headers>) h -> h.add("te", "gzip")),
                Arguments.of("unknown pseudo-header", (Consumer<Http2Headers>) h -> h.add(":foo", "bar")),
                Arguments.of("response pseudo-header in a request", (Consumer<Http2Headers>) h -> h.add(":status", "200")),
                Arguments.of("upper-case header name", (Consumer<Http2Headers>) h -> h.add("X-Upper", "1")),
                Arguments.of("missing :path", (Consumer<Http2Headers>) h -> h.remove(":path")),
                Arguments.of("missing :method", (Consumer<Http2Headers>) h -> h.remove(":method")),
                Arguments.of("duplicate :path", (Consumer<Http2Headers>) h -> h.add(":path", "/other")),
                Arguments.of("empty :path", (Consumer<Http2Headers>) h -> h.set(":path", "")),
                Arguments.of("host header besides :authority", (Consumer<Http2Headers>) h -> h.add("host", "other.test")),
                Arguments.of("no :authority nor host", (Consumer<Http2Headers>) h -> h.remove(":authority")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequestIsResetAndNeverForwarded(String name, Consumer<Http2Headers> spoil) throws Exception {
        Http2Headers h = get("/hello");
        spoil.accept(h);
        try (RawH2 c = new RawH2(http)) {
            RawH2.Result r = c.request(h, null);
            assertThat(r.status() == 0 || r.status() == 400).as(name + ": refused, got " + r).isTrue();
        }
        assertThat(origin.count()).as(name + ": origin saw nothing").isZero();
    }
}
