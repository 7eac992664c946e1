package dev.bulwark.edge.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin on an ephemeral loopback port that answers every connection with fixed bytes (or nothing) and
 * closes it; for responses a well-behaved HTTP server would never send.
 */
final class RawOrigin implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;
    final AtomicInteger connections = new AtomicInteger();

    RawOrigin(String response) throws IOException {
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        acceptor = Thread.ofPlatform().daemon().name("raw-origin").start(() -> {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    connections.incrementAndGet();
                    s.setSoTimeout(2_000);
                    readHead(s.getInputStream());
                    s.getOutputStream().write(bytes);
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // closed by the test, or the prober gave up: take the next connection
                }
            }
        });
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0, read = 0;
        while (matched < 4 && read < 16_384) {
            int b = in.read();
            if (b < 0) return;
            read++;
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    String url() { return "http://127.0.0.1:" + socket.getLocalPort(); }

    @Override public void close() throws Exception {
        socket.close();
        acceptor.join(2_000);
    }
}
