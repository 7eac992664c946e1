package dev.bulwark.cluster.limit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A throw-away Redis on a free loopback port, without persistence. */
final class EmbeddedRedis implements AutoCloseable {
    final RedisServer server;
    final int port;

    EmbeddedRedis() throws IOException {
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

    RedisClient client() { return RedisClient.create(RedisURI.create("127.0.0.1", port)); }

    @Override
    public void close() throws IOException { server.stop(); }
}
