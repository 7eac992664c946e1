package dev.bulwark.edge;

import dev.bulwark.core.config.HttpLimits;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling and malformed requests, byte for byte over a real socket: each is refused
 * with the right status, the connection is closed, and the origin sees nothing.
 */
class StrictParsingTest {
    private static TestOrigin origin;
    private static Edge edge;
    private static InetSocketAddress http;

    @BeforeAll
    static void start() throws Exception {
        origin = new TestOrigin();
        HttpLimits limits = new HttpLimits(4096, 1024, 50, null, null, null);
        edge = Edge.start(Configs.create().http().limits(limits).zone("app", "app.test", origin.url()).build(), EdgeServices.quiet());
        http = edge.boundAddresses().get("http");
    }

    @AfterAll
    static void stop() {
        edge.close();
        origin.close();
    }

    @BeforeEach
    void clear() { origin.requests.clear(); }

    static Stream<Arguments> refused() {
        String h = "Host: app.test\r\n";
        return Stream.of(
                Arguments.of("CL and TE", 400, "POST / HTTP/1.1\r\n" + h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE and CL", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
                Arguments.of("repeated CL, same value", 400, "POST / HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
                Arguments.of("repeated CL, different values", 400, "POST / HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                Arguments.of("CL list", 400, "POST / HTTP/1.1\r\n" + h + "Content-Length: 5, 5\r\n\r\nhello"),
                Arguments.of("CL with sign", 400, "POST / HTTP/1.1\r\n" + h + "Content-Length: +5\r\n\r\nhello"),
                Arguments.of("CL not a number", 400, "POST / HTTP/1.1\r\n" + h + "Content-Length: 5x\r\n\r\nhello"),
                Arguments.of("TE gzip only", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip\r\n\r\nhello"),
                Arguments.of("TE chunked not last", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE chunked twice", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE xchunked", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE with space before colon", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE on HTTP/1.0", 400, "POST / HTTP/1.0\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("obs-fold", 400, "GET / HTTP/1.1\r\n" + h + "X-A: b\r\n c\r\n\r\n"),
                Arguments.of("obs-fold with tab", 400, "GET / HTTP/1.1\r\n" + h + "X-A: b\r\n\tc\r\n\r\n"),
                Arguments.of("obs-fold of Transfer-Encoding", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("space in header name", 400, "GET / HTTP/1.1\r\n" + h + "X A: b\r\n\r\n"),
                Arguments.of("control byte in value", 400, "GET / HTTP/1.1\r\n" + h + "X-A: b\u0001c\r\n\r\n"),
                Arguments.of("NUL in value", 400, "GET / HTTP/1.1\r\n" + h + "X-A: b\u0000c\r\n\r\n"),
                Arguments.of("bare LF line ends", 400, "GET / HTTP/1.1\nHost: app.test\n\n"),
                Arguments.of("bare CR in header", 400, "GET / HTTP/1.1\r\nHost: app.test\rX: y\r\n\r\n"),
                Arguments.of("bare CR in value", 400, "GET / HTTP/1.1\r\n" + h + "X-A: b\rc\r\n\r\n"),
                Arguments.of("no Host", 400, "GET / HTTP/1.1\r\n\r\n"),
                Arguments.of("two Hosts", 400, "GET / HTTP/1.1\r\n" + h + "Host: other.test\r\n\r\n"),
                Arguments.of("header block too large", 431, "GET / HTTP/1.1\r\n" + h + "X-Big: " + "a".repeat(5000) + "\r\n\r\n"),
                Arguments.of("too many headers", 431, "GET / HTTP/1.1\r\n" + h + "X-A: 1\r\n".repeat(60) + "\r\n"),
                Arguments.of("request line too long", 414, "GET /" + "a".repeat(2000) + " HTTP/1.1\r\n" + h + "\r\n"),
                Arguments.of("invalid version", 400, "GET / HTTP/9.9x\r\n" + h + "\r\n"),
                Arguments.of("CONNECT authority-form", 400, "CONNECT app.test:443 HTTP/1.1\r\n" + h + "\r\n"),
                Arguments.of("userinfo in absolute-form", 400, "GET http://user@app.test/ HTTP/1.1\r\n" + h + "\r\n"),
                Arguments.of("asterisk for GET", 400, "GET * HTTP/1.1\r\n" + h + "\r\n"),
                Arguments.of("control byte in path", 400, "GET /a\u0001b HTTP/1.1\r\n" + h + "\r\n"),
                Arguments.of("relative path", 400, "GET a/b HTTP/1.1\r\n" + h + "\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesAndNeverForwards(String name, int status, String raw) throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            RawHttp.Response r = c.send(raw).read();
            assertThat(r.status()).as(name).isEqualTo(status);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(r.header("bulwark-request-id")).isNotNull();
            assertThat(c.closedByServer()).as("connection closed after a refused request").isTrue();
        }
        assertThat(origin.count()).as("origin saw nothing").isZero();
    }

    @Test
    void smuggledSecondRequestInsideAChunkedBodyIsNotSeparated() throws Exception {
        // The body below is well-framed chunked data containing text that looks like a request:
        // it must reach the origin as body bytes of one request, never as a second request.
        String inner = "GET /admin HTTP/1.1\r\nHost: app.test\r\n\r\n";
        String raw = "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(inner.length()) + "\r\n" + inner + "\r\n0\r\n\r\n";
        RawHttp.Response r = RawHttp.exchange(http, raw);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Integer.toString(inner.length()));
        assertThat(origin.requests).extracting(TestOrigin.Seen::uri).containsExactly("/upload");
    }

    @Test
    void absoluteFormIsRoutedByItsAuthorityNotTheHostHeader() throws Exception {
        RawHttp.Response r = RawHttp.exchange(http, "GET http://app.test/hello?x=1 HTTP/1.1\r\nHost: nobody.test\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(origin.last().uri()).isEqualTo("/hello?x=1");
        assertThat(origin.last().header("Host")).isEqualTo("app.test");
        origin.requests.clear();
        assertThat(RawHttp.exchange(http, "GET http://nobody.test/ HTTP/1.1\r\nHost: app.test\r\n\r\n").status()).isEqualTo(404);
        assertThat(origin.count()).isZero();
    }

    @Test
    void validRequestsStillPass() throws Exception {
        assertThat(RawHttp.exchange(http, "GET /hello HTTP/1.1\r\nHost: app.test\r\nX-Utf8: \u00e9\r\n\r\n").status()).isEqualTo(200);
        assertThat(RawHttp.exchange(http, "POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nhello").body()).isEqualTo("5");
        assertThat(RawHttp.exchange(http, "GET /hello HTTP/1.0\r\n\r\n").status()).as("HTTP/1.0 without Host: unknown site").isEqualTo(404);
    }
}
