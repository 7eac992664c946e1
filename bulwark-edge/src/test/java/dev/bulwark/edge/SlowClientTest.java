package dev.bulwark.edge;

import dev.bulwark.core.config.HttpLimits;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawH2;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow clients over real sockets, against a real edge and origin: a trickled request body is
 * answered 408 at its deadline and never held longer (HTTP/1.1 and HTTP/2); a fast body the
 * origin is slow to take is not cut; a client that does not read our response is closed after
 * the write timeout, and little of the response is ever buffered for it.
 */
class SlowClientTest {
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private static TestOrigin origin;
    private static Edge edge;
    private static InetSocketAddress http;

    @BeforeAll
    static void start() throws Exception {
        origin = new TestOrigin();
        HttpLimits limits = HttpLimits.defaults().withBodyRate(1024L, GRACE, WINDOW, null).withWrites(Duration.ofSeconds(1), null);
        edge = Edge.start(Configs.create().http().limits(limits).zone("app", "app.test", origin.url()).build(),
                new EdgeServices(meters, null, null));
        http = edge.boundAddresses().get("http");
    }

    @AfterAll
    static void stop() {
        edge.close();
        origin.close();
    }

    private static double slow(String reason) {
        Counter c = meters.find("bulwark.slow.clients").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    /** Sends a few bytes every 100 ms (the R.U.D.Y. pattern) until stopped or the socket fails; at most 30 s. */
    private static Thread trickle(AtomicBoolean stop, ThrowingSend send) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < 300 && !stop.get(); i++) {
                try {
                    send.run();
                    Thread.sleep(100);
                } catch (Exception e) {
                    return; // the edge closed: expected
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface ThrowingSend { void run() throws Exception; }

    @Test
    void aTrickledHttp1BodyGets408AtItsDeadlineAndTheConnectionCloses() throws Exception {
        double before = slow("body_rate");
        AtomicBoolean stop = new AtomicBoolean();
        try (RawHttp c = new RawHttp(http)) {
            long t0 = System.nanoTime();
            c.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1000000\r\n\r\n");
            Thread t = trickle(stop, () -> c.send("0123456789"));
            RawHttp.Response r = c.read();
            Duration held = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(held).as("not before the grace").isGreaterThanOrEqualTo(GRACE.minusMillis(50));
            assertThat(held).as("never longer than grace + window + one check").isLessThan(GRACE.plus(WINDOW).plusSeconds(2));
            c.timeout(5000);
            assertThat(c.closedByServer()).isTrue();
            stop.set(true);
            t.join(5000);
        }
        assertThat(slow("body_rate")).isEqualTo(before + 1);
    }

    @Test
    void aTrickledHttp2BodyGets408OnItsStream() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (RawH2 c = new RawH2(http)) {
            long t0 = System.nanoTime();
            c.sendNow(RawH2.HEADERS, 0x4, 1, RawH2.headerBlock(new DefaultHttp2Headers(false).method("POST").scheme("http")
                    .authority("app.test").path("/upload")));
            Thread t = trickle(stop, () -> c.sendNow(RawH2.DATA, 0, 1, "0123456789".getBytes(StandardCharsets.US_ASCII)));
            RawH2.Result r = c.response(1);
            Duration held = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.status()).isEqualTo(408);
            assertThat(held).isLessThan(GRACE.plus(WINDOW).plusSeconds(2));
            stop.set(true);
            t.join(5000);
            assertThat(c.request(3, new DefaultHttp2Headers(false).method("GET").scheme("http").authority("app.test").path("/hello"), null)
                    .status()).as("the connection's other streams go on").isEqualTo(200);
        }
    }

    @Test
    void aPipelinedBodyThatNeverArrivesGets408() throws Exception {
        // the POST waits in the queue behind the GET and is dispatched outside any read of the
        // client, which then sends nothing: its body deadline must run all the same
        double before = slow("body_rate");
        try (RawHttp c = new RawHttp(http)) {
            c.timeout(10_000);
            long t0 = System.nanoTime();
            c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n"
                    + "POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1000\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(GRACE.plus(WINDOW).plusSeconds(2));
        }
        assertThat(slow("body_rate")).isEqualTo(before + 1);
    }

    @Test
    void anHttp2BodyThatNeverArrivesGets408() throws Exception {
        try (RawH2 c = new RawH2(http)) {
            long t0 = System.nanoTime();
            c.sendNow(RawH2.HEADERS, 0x4, 1, RawH2.headerBlock(new DefaultHttp2Headers(false).method("POST").scheme("http")
                    .authority("app.test").path("/upload")));
            RawH2.Result r = c.response(1);
            assertThat(r.status()).isEqualTo(408);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(GRACE.plus(WINDOW).plusSeconds(2));
        }
    }

    @Test
    void aFastBodyTheOriginIsSlowToTakeIsNotCut() throws Exception {
        long size = 32L << 20;
        try (RawHttp c = new RawHttp(http)) {
            c.timeout(30_000);
            // the origin reads nothing for 4 s, longer than grace + window: the edge stops reading meanwhile
            c.send("POST /upload?pause=4000 HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + size + "\r\n\r\n");
            OutputStream out = c.output();
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < size; sent += chunk.length) out.write(chunk);
            out.flush();
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Long.toString(size));
        }
    }

    @Test
    void aClientThatDoesNotReadIsClosedAfterTheWriteTimeout() throws Exception {
        double before = slow("write_timeout");
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.41"), 0));
            s.connect(http, 5000);
            s.getOutputStream().write(("GET /download?bytes=" + (1L << 30) + " HTTP/1.1\r\nHost: app.test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // read nothing: the edge's buffer fills, the connection turns unwritable, the write timeout runs
            await().atMost(Duration.ofSeconds(20)).until(() -> slow("write_timeout") > before);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            long drained = 0;
            byte[] buf = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) > 0) drained += n;
            } catch (IOException reset) {
                // closed with unread data: a reset is fine
            }
            assertThat(drained).as("only socket buffers and the bounded outbound buffer, not the 1 GiB").isLessThan(64L << 20);
        }
        assertThat(slow("write_timeout")).isEqualTo(before + 1);
    }

    @Test
    void anHttp2StreamWhoseWindowStaysShutIsReset() throws Exception {
        try (RawH2 c = new RawH2(http)) {
            c.sendNow(RawH2.HEADERS, 0x5, 1, RawH2.headerBlock(new DefaultHttp2Headers(false).method("GET").scheme("http")
                    .authority("app.test").path("/download?bytes=" + (1L << 30))));
            // never return flow-control credit: after 64 KiB the stream cannot be written
            assertThat(c.awaitReset(1)).as("RST_STREAM CANCEL").isEqualTo(0x8);
        }
    }
}
