package dev.bulwark.cluster.limit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A throw-away Redis on a free loopback port, without persistence. */
public final class EmbeddedRedis implements AutoCloseable {
    final RedisServer server;
    public final int port;

    public EmbeddedRedis() throws IOException {
        RedisServer started = null;
        int startedPort = 0;
        IOException last = null;
        for (int attempt = 0; attempt < 3 && started == null; attempt++) {
            int p;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                p = s.getLocalPort();
            }
            RedisServer candidate = RedisServer.newRedisServer().port(p).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
            try {
                candidate.start();
                started = candidate;
                startedPort = p;
            } catch (IOException e) {
                last = e; // the port was taken between probing and starting: try another
            }
        }
        if (started == null) throw last;
        this.server = started;
        this.port = startedPort;
    }

    public RedisClient client() { return RedisClient.create(RedisURI.create("127.0.0.1", port)); }

    /** Stops the server (its data is gone: no persistence). */
    public void stop() throws IOException { server.stop(); }

    /** Starts it again, empty, on the same port. */
    public void restart() throws IOException { server.start(); }

    @Override
    public void close() throws IOException { server.stop(); }
}
