package dev.bulwark.edge;

import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1 GiB each way through the edge in a 256 MiB heap (surefire runs this module with -Xmx256m):
 * it only passes if bodies stream with backpressure instead of being buffered.
 */
class StreamingTest {
    private static final long GIB = 1L << 30;
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

    @Test
    void oneGibDownload() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(300L << 20);
        try (Socket s = new Socket(http.getAddress(), http.getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /download?bytes=" + GIB + " HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) total += n;
            // chunked framing adds a few bytes per 64 KiB chunk; the payload alone is 1 GiB
            assertThat(total).isBetween(GIB, GIB + GIB / 1000);
        }
    }

    @Test
    void oneGibUpload() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            c.timeout(30_000);
            c.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + GIB + "\r\n\r\n");
            OutputStream out = c.output();
            byte[] chunk = new byte[256 * 1024];
            for (long sent = 0; sent < GIB; sent += chunk.length) out.write(chunk);
            out.flush();
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Long.toString(GIB));
        }
    }
}
