package dev.bulwark.edge.policy;

import dev.bulwark.core.config.RateLimitRuleConfig.Action;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.time.ManualClock;
import dev.bulwark.edge.Edge;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawH2;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.bulwark.edge.policy.Zones.limit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code action: close} over real sockets: the key over its limit gets 429 + Retry-After and its
 * connection ended (HTTP/1.1 {@code Connection: close} then EOF; HTTP/2 a graceful GOAWAY, the
 * streams already open finish, then EOF), nothing reaches the origin, and the ban stays the zone's:
 * the same client is still served by another zone of the edge.
 */
class RateLimitCloseTest {
    private static final String FLOOD = "GET /flood HTTP/1.1\r\nHost: app.test\r\n\r\n";
    private final ManualClock clock = new ManualClock();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TestOrigin appOrigin;
    private TestOrigin otherOrigin;
    private Edge edge;
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        appOrigin = new TestOrigin();
        otherOrigin = new TestOrigin();
        ZoneConfig app = Zones.zone("app", "app.test", appOrigin.url(), List.of(), null,
                List.of(limit("flood", "http.request.uri.path eq \"/flood\"", 2, Duration.ofSeconds(10), Action.CLOSE, Duration.ofSeconds(60))),
                null);
        // the same rule id in another zone: counts and bans are seeded with the zone, so they are its own
        ZoneConfig other = Zones.zone("other", "other.test", otherOrigin.url(), List.of(), null,
                List.of(limit("flood", "http.request.uri.path eq \"/flood\"", 100, Duration.ofSeconds(10), Action.CLOSE, Duration.ofSeconds(60))),
                null);
        edge = Edge.start(Configs.create().http().zone(app).zone(other).build(), new EdgeServices(meters, clock, log::add));
        http = edge.boundAddresses().get("http");
    }

    @AfterEach
    void stop() {
        edge.close();
        appOrigin.close();
        otherOrigin.close();
    }

    @Test
    void http1TheTrippingRequestAndLaterOnesGet429AndTheirConnectionClosed() throws Exception {
        try (RawHttp c = Zones.from("127.0.0.5", http)) {
            for (int i = 0; i < 2; i++) {
                RawHttp.Response ok = c.send(FLOOD).read();
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.header("connection")).as("under the limit the connection is kept alive").isNull();
            }
            // the tripping request, with another pipelined behind it on the same connection
            c.send(FLOOD + FLOOD);
            RawHttp.Response refused = c.read();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("retry-after")).isEqualTo("60");
            assertThat(refused.header("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).as("the edge closes after the answer; the pipelined request gets nothing").isTrue();
        }
        for (int i = 0; i < 2; i++) { // banned: every new connection is accepted, answered 429 and closed
            try (RawHttp c = Zones.from("127.0.0.5", http)) {
                RawHttp.Response refused = c.send(FLOOD).read();
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.header("connection")).isEqualTo("close");
                assertThat(refused.header("retry-after")).isEqualTo("60");
                assertThat(c.closedByServer()).isTrue();
            }
        }
        assertThat(appOrigin.count()).as("no refused request reached the origin").isEqualTo(2);

        try (RawHttp c = Zones.from("127.0.0.5", http)) { // another zone still serves the client, kept alive
            for (int i = 0; i < 3; i++) {
                RawHttp.Response ok = c.send("GET /flood HTTP/1.1\r\nHost: other.test\r\n\r\n").read();
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.header("connection")).isNull();
            }
        }
        assertThat(otherOrigin.count()).isEqualTo(3);

        clock.advance(Duration.ofSeconds(61));
        try (RawHttp c = Zones.from("127.0.0.5", http)) {
            assertThat(c.send(FLOOD).read().status()).as("the ban lasted the mitigation timeout").isEqualTo(200);
        }

        await().until(() -> log.stream().filter(l -> l.contains("\"status\":429")).count() == 3);
        assertThat(log.stream().filter(l -> l.contains("\"status\":429")))
                .allSatisfy(l -> assertThat(l).contains("\"zone\":\"app\"", "\"action\":\"rate_limited_closed\"", "\"rule\":\"ratelimit:flood\""));
        assertThat(meters.get("bulwark.requests.mitigated").tag("zone", "app").tag("action", "rate_limited_closed").counter().count())
                .isEqualTo(3.0);
    }

    @Test
    void http2TheStreamGets429AndTheConnectionIsClosedGracefully() throws Exception {
        try (RawH2 c = new RawH2(http, "127.0.0.6")) {
            // a slow request in flight on the same connection: the graceful close lets it finish
            c.sendNow(RawH2.HEADERS, 0x4 | 0x1, 1, RawH2.headerBlock(get("/slow?ms=3000")));
            assertThat(c.request(3, get("/flood"), null).status()).isEqualTo(200);
            assertThat(c.request(5, get("/flood"), null).status()).isEqualTo(200);
            RawH2.Result refused = c.request(7, get("/flood"), null);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().get("retry-after").toString()).isEqualTo("60");
            assertThat(refused.headers().contains("connection")).as("no connection header on HTTP/2").isFalse();
            RawH2.Result slow = c.response(1);
            assertThat(slow.status()).as("the stream already open was served").isEqualTo(200);
            assertThat(c.sawGoaway()).as("GOAWAY (NO_ERROR) announced the close").isTrue();
            assertThat(c.closedWithoutAnswer()).as("then the edge closed the connection").isTrue();
        }
        try (RawH2 c = new RawH2(http, "127.0.0.6")) { // banned: a new connection's first stream is refused the same way
            RawH2.Result refused = c.request(1, get("/flood"), null);
            assertThat(refused.status()).isEqualTo(429);
            if (!c.sawGoaway()) assertThat(c.awaitGoaway()).as("graceful GOAWAY").isEqualTo(0);
            assertThat(c.closedWithoutAnswer()).isTrue();
        }
        assertThat(appOrigin.requests.stream().filter(s -> s.uri().equals("/flood")).count()).isEqualTo(2);
        try (RawH2 c = new RawH2(http, "127.0.0.6")) {
            var h = new DefaultHttp2Headers(false).method("GET").scheme("http").authority("other.test").path("/flood");
            assertThat(c.request(1, h, null).status()).as("another zone still serves the client").isEqualTo(200);
            assertThat(c.request(3, h, null).status()).isEqualTo(200);
            assertThat(c.sawGoaway()).isFalse();
        }
        await().until(() -> log.stream().filter(l -> l.contains("\"action\":\"rate_limited_closed\"")).count() == 2);
        assertThat(log.stream().filter(l -> l.contains("\"action\":\"rate_limited_closed\"")))
                .allSatisfy(l -> assertThat(l).contains("\"protocol\":\"HTTP/2\"", "\"status\":429", "\"rule\":\"ratelimit:flood\""));
    }

    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority("app.test").path(path);
    }
}
