package dev.bulwark.edge;

import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawH2;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 floods over real sockets against a real edge and origin, each from its own loopback
 * address: the connection gets GOAWAY (ENHANCE_YOUR_CALM), the detection is counted under its
 * kind, and the address's next connection is closed at accept. Netty finds some (rapid reset,
 * empty DATA, small CONTINUATION frames), Bulwark's meter the others; the outcome is the same.
 * A client making many ordinary requests on one connection is left alone.
 */
class Http2AbuseTest {
    private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private static TestOrigin origin;
    private static Edge edge;
    private static InetSocketAddress http;

    @BeforeAll
    static void start() throws Exception {
        origin = new TestOrigin();
        edge = Edge.start(Configs.create().http().zone("app", "app.test", origin.url()).build(), new EdgeServices(meters, null, null));
        http = edge.boundAddresses().get("http");
    }

    @AfterAll
    static void stop() {
        edge.close();
        origin.close();
    }

    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("http").authority("app.test").path(path);
    }

    private static double abuse(String kind) {
        Counter c = meters.find("bulwark.http2.abuse").tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    private interface Flood { void send(RawH2 c) throws Exception; }

    /** Floods from {@code source}, then checks GOAWAY(ENHANCE_YOUR_CALM), the metric and the ban at accept. */
    private static void attack(String source, String kind, Flood flood) throws Exception {
        double before = abuse(kind);
        try (RawH2 c = new RawH2(http, source)) {
            try {
                flood.send(c);
                c.flush();
            } catch (IOException cutShort) {
                // the edge closed while the flood was still being written
            }
            assertThat(c.awaitGoaway()).as("GOAWAY error code").isEqualTo(RawH2.ENHANCE_YOUR_CALM);
        }
        assertThat(abuse(kind)).as("counted once, as " + kind).isEqualTo(before + 1);
        assertThat(edge.runtime().services().blocklist().isBanned(InetAddress.getByName(source).getAddress())).isTrue();
        assertThat(refusedAtAccept(source)).as("the next connection from " + source).isTrue();
        assertThat(refusedAtAccept("127.0.0.1")).as("another address is served").isFalse();
    }

    private static boolean refusedAtAccept(String source) {
        try (RawH2 c = new RawH2(http, source)) {
            c.socket().setSoTimeout(5000);
            return c.closedWithoutAnswer(); // a served connection starts with the edge's SETTINGS
        } catch (IOException e) {
            return true;
        }
    }

    private static byte[] int32(int v) { return ByteBuffer.allocate(4).putInt(v).array(); }

    @Test
    void rapidResetIsCaughtByNettysLimit() throws Exception {
        byte[] block = RawH2.headerBlock(get("/hello"));
        attack("127.0.0.51", "rapid_reset", c -> {
            for (int i = 0; i < 400; i++) {
                int stream = 2 * i + 1;
                c.send(RawH2.HEADERS, 0x5, stream, block);
                c.send(RawH2.RST_STREAM, 0, stream, int32(0x8)); // CANCEL
            }
        });
    }

    @Test
    void settingsFlood() throws Exception {
        attack("127.0.0.52", "settings_flood", c -> {
            for (int i = 0; i < 200; i++) c.send(RawH2.SETTINGS, 0, 0, new byte[0]);
        });
    }

    @Test
    void pingFlood() throws Exception {
        attack("127.0.0.53", "ping_flood", c -> {
            for (int i = 0; i < 500; i++) c.send(RawH2.PING, 0, 0, new byte[8]);
        });
    }

    @Test
    void windowUpdateFlood() throws Exception {
        attack("127.0.0.54", "window_update_flood", c -> {
            for (int i = 0; i < 2000; i++) c.send(RawH2.WINDOW_UPDATE, 0, 0, int32(1));
        });
    }

    @Test
    void emptyDataFramesAreCaughtByNettysLimit() throws Exception {
        byte[] block = RawH2.headerBlock(new DefaultHttp2Headers(false).method("POST").scheme("http").authority("app.test").path("/upload"));
        attack("127.0.0.55", "empty_frames", c -> {
            c.send(RawH2.HEADERS, 0x4, 1, block);
            for (int i = 0; i < 100; i++) c.send(RawH2.DATA, 0, 1, new byte[0]);
        });
    }

    @Test
    void emptyHeadersFrames() throws Exception {
        attack("127.0.0.56", "empty_frames", c -> {
            for (int i = 0; i < 50; i++) c.send(RawH2.HEADERS, 0x5, 2 * i + 1, new byte[0]);
        });
    }

    @Test
    void endlessHeaderBlockOfSmallContinuationFramesIsCaughtByNettysLimit() throws Exception {
        attack("127.0.0.57", "continuation_flood", c -> {
            c.send(RawH2.HEADERS, 0x1, 1, RawH2.headerBlock(get("/hello"))); // no END_HEADERS
            for (int i = 0; i < 1000; i++) c.send(RawH2.CONTINUATION, 0, 1, new byte[]{0x40, 0x01, 'x', 0x01, 'y'});
        });
    }

    @Test
    void endlessHeaderBlockOfLargeContinuationFrames() throws Exception {
        byte[] big = new byte[16_000];
        attack("127.0.0.58", "continuation_flood", c -> {
            c.send(RawH2.HEADERS, 0x1, 1, RawH2.headerBlock(get("/hello")));
            for (int i = 0; i < 100; i++) c.send(RawH2.CONTINUATION, 0, 1, big);
        });
    }

    @Test
    void anOrdinaryClientMakingManyRequestsIsNotAffected() throws Exception {
        double total = meters.find("bulwark.http2.abuse").counters().stream().mapToDouble(Counter::count).sum();
        try (RawH2 c = new RawH2(http, "127.0.0.59")) {
            for (int i = 0; i < 300; i++) { // more streams than max_resets, max_settings or max_pings allow frames
                RawH2.Result r = c.request(2 * i + 1, get(i % 20 == 0 ? "/download?bytes=100000" : "/hello"), null);
                assertThat(r.status()).as("request %d", i).isEqualTo(200);
            }
            c.sendNow(RawH2.PING, 0, 0, new byte[8]);
            assertThat(c.request(601, get("/hello"), null).status()).isEqualTo(200);
        }
        assertThat(meters.find("bulwark.http2.abuse").counters().stream().mapToDouble(Counter::count).sum()).isEqualTo(total);
        assertThat(refusedAtAccept("127.0.0.59")).isFalse();
    }
}
