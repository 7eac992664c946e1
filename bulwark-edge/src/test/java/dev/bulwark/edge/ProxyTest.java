package dev.bulwark.edge;

import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** HTTP/1.1 proxying over real sockets: keep-alive, header rewriting, request ids, unknown hosts, logs, meters. */
class ProxyTest {
    private TestOrigin origin;
    private Edge edge;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        edge = Edge.start(Configs.create().http().zone("app", "app.test", origin.url())
                .zone(Configs.zone("wild", List.of("*.wild.test"), null, Configs.pool(origin.url()), null, null))
                .build(), new EdgeServices(meters, null, log::add));
        http = edge.boundAddresses().get("http");
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void forwardsAndReusesBothConnections() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            for (int i = 0; i < 5; i++) {
                RawHttp.Response r = c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello");
                assertThat(r.header("bulwark-request-id")).matches("[0-9a-f]{16}");
                assertThat(r.header("via")).isEqualTo("1.1 bulwark");
                assertThat(r.header("keep-alive")).as("hop-by-hop from the origin is removed").isNull();
            }
        }
        assertThat(origin.count()).isEqualTo(5);
        assertThat(origin.connections.get()).as("one pooled upstream connection").isEqualTo(1);
        assertThat(meters.get("bulwark.upstream.connections.reused").counter().count()).isEqualTo(4);
        assertThat(edge.runtime().metrics().reuseRatio()).isEqualTo(0.8);
    }

    @Test
    void setsForwardingHeadersAndStripsHopByHop() throws Exception {
        RawHttp.Response r = RawHttp.exchange(http, "GET /headers HTTP/1.1\r\nHost: app.test:80\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\nTE: trailers\r\n"
                + "Upgrade: websocket\r\nProxy-Connection: keep-alive\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        TestOrigin.Seen seen = origin.last();
        assertThat(seen.header("X-Forwarded-For")).as("a spoofed XFF from an untrusted peer is replaced").isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("app.test");
        assertThat(seen.header("Forwarded")).isEqualTo("for=127.0.0.1;host=\"app.test\";proto=http");
        assertThat(seen.header("Via")).isEqualTo("1.1 bulwark");
        assertThat(seen.header("Bulwark-Request-Id")).isEqualTo(r.header("bulwark-request-id"));
        assertThat(seen.header("Host")).isEqualTo("app.test:80");
        for (String h : List.of("X-Secret", "TE", "Upgrade", "Proxy-Connection")) assertThat(seen.header(h)).as(h).isNull();
    }

    @Test
    void wildcardZoneMatchesSubdomainsOnly() throws Exception {
        assertThat(RawHttp.exchange(http, "GET /a HTTP/1.1\r\nHost: x.wild.test\r\n\r\n").status()).isEqualTo(200);
        assertThat(RawHttp.exchange(http, "GET /a HTTP/1.1\r\nHost: a.b.wild.test\r\n\r\n").status()).isEqualTo(200);
        assertThat(RawHttp.exchange(http, "GET /a HTTP/1.1\r\nHost: wild.test\r\n\r\n").status()).isEqualTo(404);
    }

    @Test
    void unknownHostIsAnsweredByTheEdgeAndNeverForwarded() throws Exception {
        RawHttp.Response r = RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: nobody.test\r\nAccept: text/html\r\n\r\n");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("404").contains(r.header("bulwark-request-id")).doesNotContain("127.0.0.1");
        assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(r.header("content-type")).startsWith("text/html");
        RawHttp.Response json = RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: nobody.test\r\nAccept: application/json\r\n\r\n");
        assertThat(json.header("content-type")).startsWith("application/json");
        assertThat(json.body()).contains("\"status\":404").contains("\"request_id\":\"" + json.header("bulwark-request-id") + "\"");
        assertThat(origin.count()).isZero();
    }

    @Test
    void keepsTheConnectionAfterAnEdgeAnswerWithoutBody() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: nobody.test\r\n\r\n").read().status()).isEqualTo(404);
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void servesPipelinedRequestsInOrder() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            c.send("GET /slow?ms=100 HTTP/1.1\r\nHost: app.test\r\n\r\nGET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n"
                    + "GET /x HTTP/1.1\r\nHost: nobody.test\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("slow");
            assertThat(c.read().body()).isEqualTo("hello");
            assertThat(c.read().status()).isEqualTo(404);
        }
    }

    @Test
    void writesOneAccessLogLineAndMetersPerRequest() throws Exception {
        RawHttp.Response r = RawHttp.exchange(http, "GET /hello?q=1 HTTP/1.1\r\nHost: app.test\r\n\r\n");
        RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: nobody.test\r\n\r\n");
        await().until(() -> log.size() == 2);
        assertThat(log.get(0)).contains("\"zone\":\"app\"", "\"status\":200", "\"method\":\"GET\"", "\"host\":\"app.test\"",
                "\"path\":\"/hello\"", "\"client\":\"127.0.0.1\"", "\"action\":\"allowed\"", "\"bytes_out\":5",
                "\"request_id\":\"" + r.header("bulwark-request-id") + "\"");
        assertThat(log.get(1)).contains("\"zone\":null", "\"status\":404", "\"action\":\"blocked\"", "\"rule\":\"zone:unknown-host\"");
        assertThat(meters.get("bulwark.requests").tags("zone", "app", "status", "2xx").counter().count()).isEqualTo(1);
        assertThat(meters.get("bulwark.requests").tags("zone", "-", "status", "4xx").counter().count()).isEqualTo(1);
        assertThat(meters.get("bulwark.request.duration").tags("zone", "app").functionTimer().count()).isEqualTo(1);
        assertThat(meters.get("bulwark.connections.accepted").counter().count()).isEqualTo(2);
    }

    @Test
    void headResponseKeepsItsLengthAndHasNoBody() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            RawHttp.Response head = c.send("HEAD /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("5");
            RawHttp.Response get = c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read();
            assertThat(get.body()).as("no stray body bytes after the HEAD answer").isEqualTo("hello");
        }
        assertThat(origin.requests).extracting(TestOrigin.Seen::method).containsExactly("HEAD", "GET");
    }

    @Test
    void connectionTheOriginClosesIsNotReused() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (RawHttp c = new RawHttp(http)) {
                RawHttp.Response r = c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\nX-Close: 1\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
            }
        }
        assertThat(origin.count()).isEqualTo(3);
        assertThat(origin.connections.get()).as("each closed by the origin, none reused").isEqualTo(3);
    }

    @Test
    void http10ClientGetsACloseDelimitedResponse() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            RawHttp.Response r = c.send("GET /download?bytes=1000 HTTP/1.0\r\nHost: app.test\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSize(1000);
        }
    }

    @Test
    void chunkedRequestBodyIsStreamedToTheOrigin() throws Exception {
        RawHttp.Response r = RawHttp.exchange(http, "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("11");
        assertThat(origin.last().header("Transfer-Encoding")).isEqualTo("chunked");
    }
}
