package dev.bulwark.edge;

import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.PassiveHealthConfig;
import dev.bulwark.core.config.ZoneLimits;
import dev.bulwark.core.config.ZoneTimeouts;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Origin down, slow, resetting; retries; zone limits; a client that leaves. */
class FailureTest {
    private TestOrigin origin;
    private Edge edge;
    private InetSocketAddress http;
    private int deadPort;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: connecting there is refused
        }
        String dead = "http://127.0.0.1:" + deadPort;
        OriginPoolConfig onlyDead = new OriginPoolConfig(null, List.of(new OriginConfig(dead, 1)), null,
                new PassiveHealthConfig(2, Duration.ofSeconds(30)), 4);
        edge = Edge.start(Configs.create().http()
                .zone("app", "app.test", origin.url())
                .zone("down", "down.test", dead)
                .zone(Configs.zone("ejects", List.of("ejects.test"), null, onlyDead, null, null))
                .zone("mixed", "mixed.test", dead, origin.url())
                .zone(Configs.zone("slow", List.of("slow.test"), null, Configs.pool(origin.url()),
                        new ZoneTimeouts(null, Duration.ofMillis(300), null), null))
                .zone(Configs.zone("stuck", List.of("stuck.test"), null, Configs.pool(origin.url()),
                        new ZoneTimeouts(null, Duration.ofSeconds(20), Duration.ofMillis(300)), null))
                .zone(Configs.zone("small", List.of("small.test"), null, Configs.pool(origin.url()), null, new ZoneLimits(10L, 1)))
                .build(), new EdgeServices(new SimpleMeterRegistry(), null, log::add));
        http = edge.boundAddresses().get("http");
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void refusedConnectionIs502WithoutLeakingTheAddress() throws Exception {
        RawHttp.Response r = RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: down.test\r\n\r\n");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).contains(r.header("bulwark-request-id")).doesNotContain(Integer.toString(deadPort)).doesNotContain("127.0.0.1");
    }

    @Test
    void aClientExpecting100ContinueIsNotInvitedToUploadToAnUnreachableOrigin() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            c.timeout(5000);
            c.send("POST /upload HTTP/1.1\r\nHost: down.test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().status()).as("the failure comes first, no 100 before it").isEqualTo(502);
        }
    }

    @Test
    void passivelyEjectedOriginLeavesNoHealthyOriginAnd503() throws Exception {
        assertThat(RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: ejects.test\r\n\r\n").status()).isEqualTo(502);
        assertThat(RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: ejects.test\r\n\r\n").status()).isEqualTo(502);
        RawHttp.Response r = RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: ejects.test\r\nAccept: application/json\r\n\r\n");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).contains("\"status\":503");
    }

    @Test
    void idempotentRequestsAreRetriedOnAnotherOriginPostIsNot() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertThat(RawHttp.exchange(http, "GET /hello HTTP/1.1\r\nHost: mixed.test\r\n\r\n").status()).isEqualTo(200);
        }
        int failures = 0;
        for (int i = 0; i < 6; i++) {
            int status = RawHttp.exchange(http, "POST /upload HTTP/1.1\r\nHost: mixed.test\r\nContent-Length: 2\r\n\r\nhi").status();
            assertThat(status).isIn(200, 502);
            if (status == 502) failures++;
        }
        assertThat(failures).as("round robin sends some POSTs to the dead origin, and they are not retried").isPositive();
    }

    @Test
    void slowOriginIs504AfterTheFirstByteTimeout() throws Exception {
        long t0 = System.nanoTime();
        RawHttp.Response r = RawHttp.exchange(http, "GET /slow?ms=3000 HTTP/1.1\r\nHost: slow.test\r\n\r\n");
        assertThat(r.status()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
        assertThat(RawHttp.exchange(http, "GET /slow?ms=10 HTTP/1.1\r\nHost: slow.test\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void originSilentMidBodyIsCutAtTheIdleTimeoutNotTheLongerFirstByteOne() throws Exception {
        // the first-byte timer (20 s) is still pending when the head arrives; the idle deadline
        // (300 ms after the last read) is earlier, so the call must re-arm for it
        long t0 = System.nanoTime();
        try (java.net.Socket s = new java.net.Socket(http.getAddress(), http.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /stall HTTP/1.1\r\nHost: stuck.test\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String received = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(received).startsWith("HTTP/1.1 200").contains("started").doesNotEndWith("0\r\n\r\n");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void originResetIs502() throws Exception {
        assertThat(RawHttp.exchange(http, "GET /reset HTTP/1.1\r\nHost: app.test\r\n\r\n").status()).isEqualTo(502);
        assertThat(RawHttp.exchange(http, "POST /reset HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1\r\n\r\nx").status()).isEqualTo(502);
    }

    @Test
    void declaredBodyOverTheZoneLimitIs413AndNotForwarded() throws Exception {
        RawHttp.Response r = RawHttp.exchange(http, "POST /upload HTTP/1.1\r\nHost: small.test\r\nContent-Length: 100\r\n\r\n" + "x".repeat(100));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(origin.count()).isZero();
        assertThat(RawHttp.exchange(http, "POST /upload HTTP/1.1\r\nHost: small.test\r\nContent-Length: 5\r\n\r\nhello").body()).isEqualTo("5");
    }

    @Test
    void streamedBodyGrowingPastTheLimitIsCut() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            c.send("POST /upload HTTP/1.1\r\nHost: small.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            c.send("a\r\n0123456789\r\n0\r\n\r\n");
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
        }
    }

    @Test
    void concurrencyOverTheZoneLimitIs503() throws Exception {
        try (RawHttp first = new RawHttp(http)) {
            first.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: small.test\r\n\r\n");
            await().until(() -> origin.count() == 1);
            RawHttp.Response second = RawHttp.exchange(http, "GET /hello HTTP/1.1\r\nHost: small.test\r\n\r\n");
            assertThat(second.status()).isEqualTo(503);
            assertThat(first.read().status()).isEqualTo(200);
        }
        assertThat(RawHttp.exchange(http, "GET /hello HTTP/1.1\r\nHost: small.test\r\n\r\n").status()).as("slot released").isEqualTo(200);
    }

    @Test
    void clientLeavingMidRequestIsLoggedAs499() throws Exception {
        try (RawHttp c = new RawHttp(http)) {
            c.send("GET /slow?ms=400 HTTP/1.1\r\nHost: app.test\r\n\r\n");
            await().until(() -> origin.count() == 1);
        }
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"status\":499")));
        // the pooled connection the aborted request used was closed, not reused mid-response
        assertThat(RawHttp.exchange(http, "GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").body()).isEqualTo("hello");
    }
}
