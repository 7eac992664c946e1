package dev.bulwark.cluster.challenge;

import dev.bulwark.core.challenge.ClearanceVerifier;
import dev.bulwark.core.challenge.Clearances;
import dev.bulwark.core.time.ManualClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two edge nodes sharing one key ring through a real (embedded) Redis. */
class RedisKeyRingTest {
    static RedisServer server;
    static RedisClient client;
    static final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();

    final ManualClock clock = new ManualClock();
    final InetAddress visitor = InetAddress.getLoopbackAddress();
    final String ua = "Mozilla/5.0 test";
    String prefix;

    @BeforeAll
    static void startRedis() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3 && server == null; attempt++) {
            int port = freePort();
            try {
                RedisServer s = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"")
                        .setting("appendonly no").build();
                s.start();
                server = s;
                client = RedisClient.create(RedisURI.create("127.0.0.1", port));
            } catch (IOException e) {
                last = e; // the port was taken between probing and starting: try another
            }
        }
        if (server == null) throw last;
    }

    @AfterAll
    static void stopRedis() throws IOException {
        connections.forEach(StatefulRedisConnection::close);
        if (client != null) client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        if (server != null) server.stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void freshPrefix() {
        prefix = "test:" + System.nanoTime() + ":";
    }

    RedisKeyRing node(Duration activation) {
        StatefulRedisConnection<String, String> c = client.connect();
        connections.add(c);
        return new RedisKeyRing(c, prefix, clock, 2, activation);
    }

    String cookie(RedisKeyRing ring) {
        return new Clearances(ring).issue("shop", visitor, ua, 2, new byte[12], clock.currentTimeMillis(), Duration.ofHours(1));
    }

    int verify(RedisKeyRing ring, String cookie) {
        return new ClearanceVerifier(ring).verify(cookie, "shop", visitor, ua, clock.currentTimeMillis());
    }

    @Test
    void nodesShareTheFirstKey() {
        RedisKeyRing a = node(Duration.ofMinutes(1));
        RedisKeyRing b = node(Duration.ofMinutes(1));
        assertThat(b.current()).isEqualTo(a.current());
        assertThat(verify(b, cookie(a))).isEqualTo(2);
    }

    @Test
    void nodesStartingTogetherAgreeOnOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RedisKeyRing>> rings = new ArrayList<>();
            for (int i = 0; i < 4; i++) rings.add(pool.submit(() -> { go.await(); return node(Duration.ZERO); }));
            go.countDown();
            int id = rings.get(0).get(10, TimeUnit.SECONDS).current().id();
            for (Future<RedisKeyRing> r : rings) {
                assertThat(r.get(10, TimeUnit.SECONDS).keys()).hasSize(1);
                assertThat(r.get().current().id()).isEqualTo(id);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rotationOnOneNodeLogsNobodyOutOnAnother() {
        Duration activation = Duration.ofSeconds(30);
        RedisKeyRing a = node(activation);
        RedisKeyRing b = node(activation);
        String before = cookie(a);

        a.rotate();
        // The new key is accepted but not signing yet, so B (not refreshed) still verifies what A signs.
        assertThat(a.keys()).hasSize(2);
        assertThat(b.keys()).hasSize(1);
        String duringRollout = cookie(a);
        assertThat(verify(b, duringRollout)).isEqualTo(2);

        b.refresh();
        clock.advance(activation);
        String after = cookie(a);
        assertThat(a.current().id()).isNotEqualTo(b.keys().get(1).id());
        assertThat(b.current()).isEqualTo(a.current());
        assertThat(verify(b, after)).isEqualTo(2);
        assertThat(verify(a, before)).isEqualTo(2);
        assertThat(verify(b, before)).isEqualTo(2);
    }

    @Test
    void retiredKeysAreRefusedAfterRefresh() {
        RedisKeyRing a = node(Duration.ZERO);
        RedisKeyRing b = node(Duration.ZERO);
        String old = cookie(a);
        a.rotate();
        clock.advanceMillis(1);
        a.rotate();
        clock.advanceMillis(1);
        b.refresh();
        assertThat(verify(b, old)).isEqualTo(2); // two previous keys are kept
        a.rotate();
        assertThat(a.keys()).hasSize(3);
        assertThat(verify(a, old)).isZero();
        assertThat(verify(b, old)).isEqualTo(2); // B has not refreshed yet
        b.refresh();
        assertThat(verify(b, old)).isZero();
        assertThat(verify(b, cookie(a))).isEqualTo(2);
    }

    @Test
    void backgroundRefreshPicksUpRotations() {
        RedisKeyRing a = node(Duration.ZERO);
        RedisKeyRing b = node(Duration.ZERO);
        try {
            b.startRefreshing(Duration.ofMillis(50));
            a.rotate();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (b.keys().size() < 2 && System.nanoTime() < deadline) sleep(10);
            assertThat(b.keys()).isEqualTo(a.keys());
        } finally {
            b.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void timedRotationHappensOncePerPeriodAcrossNodes() {
        RedisKeyRing a = node(Duration.ZERO);
        RedisKeyRing b = node(Duration.ZERO);
        Duration period = Duration.ofDays(1);
        long now = clock.currentTimeMillis();
        // The bootstrap key counts as old: the first timer tick on any node rotates, the others do not.
        assertThat(a.rotateIfOlderThan(period, now)).isTrue();
        assertThat(b.rotateIfOlderThan(period, now + 1)).isFalse();
        assertThat(a.rotateIfOlderThan(period, now + 2)).isFalse();
        assertThat(b.keys()).hasSize(2);
        long later = now + period.toMillis();
        assertThat(b.rotateIfOlderThan(period, later)).isTrue();
        assertThat(a.rotateIfOlderThan(period, later)).isFalse();
        a.refresh();
        assertThat(a.keys()).isEqualTo(b.keys()).hasSize(3);
    }

    @Test
    void refusesToKeepNoPreviousKey() {
        StatefulRedisConnection<String, String> c = client.connect();
        connections.add(c);
        assertThatThrownBy(() -> new RedisKeyRing(c, prefix, clock, 0, Duration.ZERO)).hasMessageContaining("previous");
    }
}
