package dev.bulwark.edge.upstream;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP origin on an ephemeral loopback port whose answer status tests can change. */
final class TestOrigin implements AutoCloseable {
    /** What the origin saw of one request. */
    record Seen(String method, String uri, String host, String userAgent) {}

    final AtomicInteger status = new AtomicInteger(200);
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    TestOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            requests.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestHeaders().getFirst("User-Agent")));
            byte[] body = "ok\n".getBytes();
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    int port() { return server.getAddress().getPort(); }

    String url() { return "http://127.0.0.1:" + port(); }

    int hits() { return requests.size(); }

    @Override public void close() { server.stop(0); }
}
