package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.HealthCheckConfig;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.OriginPoolConfig.Balance;
import dev.bulwark.core.config.PassiveHealthConfig;
import dev.bulwark.core.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HealthCheckerTest {
    private static final Duration AT_MOST = Duration.ofSeconds(5);

    private EventLoopGroup group;
    private SimpleMeterRegistry meters;
    private HealthChecker checker;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        meters = new SimpleMeterRegistry();
        checker = new HealthChecker(group, NioSocketChannel.class, Clock.SYSTEM, meters);
    }

    @AfterEach
    void tearDown() throws Exception {
        checker.close();
        for (AutoCloseable c : closeables) c.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private TestOrigin origin() throws Exception {
        TestOrigin o = new TestOrigin();
        closeables.add(o);
        return o;
    }

    private static OriginPool pool(String... urls) {
        List<OriginConfig> servers = new ArrayList<>();
        for (String u : urls) servers.add(new OriginConfig(u, null));
        return OriginPool.of(new OriginPoolConfig(Balance.ROUND_ROBIN, servers, null, PassiveHealthConfig.defaults(), null),
                Clock.SYSTEM);
    }

    private static HealthCheckConfig check(String path, String host, long intervalMs, long timeoutMs, int healthy, int unhealthy) {
        return new HealthCheckConfig(true, path, host, Duration.ofMillis(intervalMs), Duration.ofMillis(timeoutMs),
                healthy, unhealthy, null, null);
    }

    private double gauge(String name, String zone, Origin o) {
        return meters.get(name).tag("zone", zone).tag("origin", o.id()).gauge().value();
    }

    private double probes(String zone, Origin o, String result) {
        return meters.get("bulwark.health.probes").tag("zone", zone).tag("origin", o.id()).tag("result", result)
                .counter().count();
    }

    @Test
    void failingOriginGoesDownAfterTheThresholdAndUpAfterRecovering() throws Exception {
        TestOrigin server = origin();
        OriginPool pool = pool(server.url());
        Origin o = pool.origins().get(0);
        checker.watch("z", pool, check("/health", null, 50, 1_000, 2, 3));

        await().atMost(AT_MOST).until(() -> server.hits() >= 2);
        assertThat(o.healthy()).isTrue();
        assertThat(gauge("bulwark.origin.healthy", "z", o)).isEqualTo(1.0);

        server.status.set(503);
        int before = server.hits();
        await().atMost(AT_MOST).until(() -> !o.healthy());
        assertThat(server.hits() - before).as("down only after three failed probes").isGreaterThanOrEqualTo(3);
        assertThat(o.available()).isFalse();
        assertThat(pool.pick()).isNull();
        assertThat(gauge("bulwark.origin.healthy", "z", o)).isEqualTo(0.0);
        assertThat(probes("z", o, "failure")).isGreaterThanOrEqualTo(3.0);

        server.status.set(204);
        before = server.hits();
        await().atMost(AT_MOST).until(o::healthy);
        assertThat(server.hits() - before).as("up only after two good probes").isGreaterThanOrEqualTo(2);
        assertThat(pool.pick()).isSameAs(o);
        assertThat(probes("z", o, "success")).isGreaterThanOrEqualTo(4.0);
    }

    @Test
    void probeSendsPathHostAndUserAgent() throws Exception {
        TestOrigin server = origin();
        checker.watch("z", pool(server.url()), check("/healthz?deep=1", "app.example", 50, 1_000, 1, 1));
        await().atMost(AT_MOST).until(() -> server.hits() >= 1);
        TestOrigin.Seen seen = server.requests.get(0);
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.uri()).isEqualTo("/healthz?deep=1");
        assertThat(seen.host()).isEqualTo("app.example");
        assertThat(seen.userAgent()).isEqualTo(HealthProbe.USER_AGENT);
    }

    @Test
    void hostHeaderDefaultsToTheOriginsAddress() throws Exception {
        TestOrigin server = origin();
        checker.watch("z", pool(server.url()), check("/", null, 50, 1_000, 1, 1));
        await().atMost(AT_MOST).until(() -> server.hits() >= 1);
        assertThat(server.requests.get(0).host()).isEqualTo("127.0.0.1:" + server.port());
    }

    @Test
    void connectionRefusedMarksTheOriginDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        OriginPool pool = pool("http://127.0.0.1:" + port);
        Origin o = pool.origins().get(0);
        checker.watch("z", pool, check("/", null, 50, 1_000, 1, 2));
        await().atMost(AT_MOST).until(() -> !o.healthy());
        assertThat(probes("z", o, "failure")).isGreaterThanOrEqualTo(2.0);
        assertThat(probes("z", o, "success")).isZero();
        assertThat(o.lastProbe().reason()).contains("Connection refused");
    }

    @Test
    void watchingTheSamePoolWithTheSameSettingsKeepsTheRunningChecks() throws Exception {
        TestOrigin server = origin();
        OriginPool pool = pool(server.url());
        HealthCheckConfig cfg = check("/", null, 30, 1_000, 1, 1);
        checker.watch("z", pool, cfg);
        await().atMost(AT_MOST).until(() -> probes("z", pool.origins().get(0), "success") >= 2);
        double before = probes("z", pool.origins().get(0), "success");
        checker.watch("z", pool, check("/", null, 30, 1_000, 1, 1));
        assertThat(probes("z", pool.origins().get(0), "success")).as("counters not reset").isGreaterThanOrEqualTo(before);
    }

    @Test
    void anOriginThatNeverAnswersIsDownAfterTheTimeout() throws Exception {
        // The kernel completes the handshake from the backlog, but nobody ever reads or answers.
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(silent);
        OriginPool pool = pool("http://127.0.0.1:" + silent.getLocalPort());
        Origin o = pool.origins().get(0);
        long start = System.nanoTime();
        checker.watch("z", pool, check("/", null, 10, 300, 1, 1));
        await().atMost(AT_MOST).until(() -> !o.healthy());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).as("not before the timeout").isGreaterThanOrEqualTo(300);
        assertThat(tookMs).as("not long after it").isLessThan(4_000);
        assertThat(o.lastProbe().reason()).isEqualTo("timed out after 300 ms");
        assertThat(o.lastProbe().nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    }

    @Test
    void statusOutsideTheExpectedRangeIsAFailure() throws Exception {
        TestOrigin server = origin();
        server.status.set(404);
        OriginPool pool = pool(server.url());
        Origin o = pool.origins().get(0);
        checker.watch("z", pool, new HealthCheckConfig(true, "/", null, Duration.ofMillis(50), Duration.ofSeconds(1),
                1, 1, 200, 299));
        await().atMost(AT_MOST).until(() -> !o.healthy());

        checker.watch("z", pool, new HealthCheckConfig(true, "/", null, Duration.ofMillis(50), Duration.ofSeconds(1),
                1, 1, 200, 404));
        await().atMost(AT_MOST).until(o::healthy);
    }

    @Test
    void eachOriginIsJudgedOnItsOwn() throws Exception {
        TestOrigin good = origin(), bad = origin();
        bad.status.set(500);
        OriginPool pool = pool(good.url(), bad.url());
        checker.watch("z", pool, check("/", null, 50, 1_000, 1, 1));
        await().atMost(AT_MOST).until(() -> !pool.origins().get(1).healthy());
        assertThat(pool.origins().get(0).healthy()).isTrue();
        for (int i = 0; i < 10; i++) assertThat(pool.pick()).isSameAs(pool.origins().get(0));
    }

    @Test
    void unwatchStopsProbesAndRemovesGauges() throws Exception {
        TestOrigin server = origin();
        OriginPool pool = pool(server.url());
        checker.watch("z", pool, check("/", null, 30, 1_000, 1, 1));
        await().atMost(AT_MOST).until(() -> server.hits() >= 2);
        assertThat(meters.find("bulwark.origin.healthy").gauges()).hasSize(1);
        assertThat(meters.find("bulwark.origin.outstanding").gauges()).hasSize(1);

        checker.unwatch("z");
        assertThat(checker.zones()).isEmpty();
        assertThat(meters.find("bulwark.origin.healthy").gauges()).isEmpty();
        assertThat(meters.find("bulwark.health.probes").counters()).isEmpty();
        Thread.sleep(300); // a probe already in flight may still land
        int after = server.hits();
        Thread.sleep(300);
        assertThat(server.hits()).isEqualTo(after);
    }

    @Test
    void watchingAgainReplacesThePreviousChecks() throws Exception {
        TestOrigin server = origin();
        OriginPool pool = pool(server.url());
        checker.watch("z", pool, check("/old", null, 30, 1_000, 1, 1));
        await().atMost(AT_MOST).until(() -> server.hits() >= 1);
        checker.watch("z", pool, check("/new", null, 30, 1_000, 1, 1));
        Thread.sleep(100);
        int mark = server.hits();
        await().atMost(AT_MOST).until(() -> server.hits() >= mark + 3);
        // a copy: probes keep arriving, and a live sub-list of the copy-on-write list would throw
        var seen = java.util.List.copyOf(server.requests);
        assertThat(seen.subList(mark, seen.size())).allMatch(s -> s.uri().equals("/new"));
        assertThat(meters.find("bulwark.origin.healthy").gauges()).hasSize(1);
    }

    @Test
    void disablingTheCheckClearsADownVerdictAndKeepsGauges() throws Exception {
        TestOrigin server = origin();
        server.status.set(500);
        OriginPool pool = pool(server.url());
        Origin o = pool.origins().get(0);
        checker.watch("z", pool, check("/", null, 30, 1_000, 1, 1));
        await().atMost(AT_MOST).until(() -> !o.healthy());

        checker.watch("z", pool, HealthCheckConfig.disabled());
        assertThat(o.healthy()).isTrue();
        assertThat(gauge("bulwark.origin.healthy", "z", o)).isEqualTo(1.0);
        o.onRequestStart();
        assertThat(gauge("bulwark.origin.outstanding", "z", o)).isEqualTo(1.0);
        Thread.sleep(300); // a probe already in flight may still land
        int after = server.hits();
        Thread.sleep(300);
        assertThat(server.hits()).isEqualTo(after);
    }

    @Test
    void aReloadedPoolKeepsTheDownVerdictUntilProbesSayOtherwise() throws Exception {
        TestOrigin server = origin();
        server.status.set(500);
        OriginPool v1 = pool(server.url());
        checker.watch("z", v1, check("/", null, 30, 1_000, 2, 1));
        await().atMost(AT_MOST).until(() -> !v1.origins().get(0).healthy());

        OriginPool v2 = pool(server.url()).inheritFrom(v1);
        assertThat(v2.origins().get(0).healthy()).isFalse();
        server.status.set(200);
        checker.watch("z", v2, check("/", null, 30, 1_000, 2, 1));
        await().atMost(AT_MOST).until(() -> v2.origins().get(0).healthy());
    }

    @Test
    void interimResponsesAreSkippedForTheFinalStatus() throws Exception {
        RawOrigin raw = new RawOrigin("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        closeables.add(raw);
        OriginPool pool = pool(raw.url());
        Origin o = pool.origins().get(0);
        checker.watch("z", pool, check("/", null, 30, 1_000, 1, 1));
        await().atMost(AT_MOST).until(() -> o.lastProbe() != null);
        assertThat(o.lastProbe().success()).isTrue();
        assertThat(o.lastProbe().status()).isEqualTo(200);
        assertThat(o.healthy()).isTrue();
    }

    @Test
    void aGarbledResponseIsAFailure() throws Exception {
        RawOrigin raw = new RawOrigin("SSH-2.0-OpenSSH_9.6\r\n\r\n");
        closeables.add(raw);
        OriginPool pool = pool(raw.url());
        Origin o = pool.origins().get(0);
        checker.watch("z", pool, check("/", null, 30, 1_000, 1, 1));
        await().atMost(AT_MOST).until(() -> !o.healthy());
        assertThat(o.lastProbe().status()).isZero();
    }

    @Test
    void aConnectionClosedWithoutAnswerIsAFailure() throws Exception {
        RawOrigin raw = new RawOrigin("");
        closeables.add(raw);
        OriginPool pool = pool(raw.url());
        Origin o = pool.origins().get(0);
        checker.watch("z", pool, check("/", null, 30, 1_000, 1, 2));
        await().atMost(AT_MOST).until(() -> !o.healthy());
        assertThat(raw.connections.get()).isGreaterThanOrEqualTo(2);
        assertThat(o.lastProbe().reason()).isEqualTo("connection closed before a response");
    }

    @Test
    void badSettingsAreRejectedClearly() {
        OriginPool pool = pool("http://127.0.0.1:9");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> checker.watch("z", pool,
                        new HealthCheckConfig(true, "health", null, null, null, null, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zone z health check: path must start with '/'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> checker.watch("z", pool,
                        check("/ok HTTP/1.1\r\nX-Injected: 1\r\n", null, 50, 100, 1, 1)))
                .hasMessageContaining("path must be visible ASCII without spaces");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> checker.watch("z", pool,
                        check("/", "evil.example\r\nX-Injected: 1", 50, 100, 1, 1)))
                .hasMessageContaining("host must be a host name or address");
        checker.watch("z", pool, check("/a%20b?x=1&y=[2]", "[::1]:8080", 60_000, 100, 1, 1));
        checker.watch("z", pool, check("/", "app.example:8443", 60_000, 100, 1, 1));
        checker.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> checker.watch("z", pool, HealthCheckConfig.disabled()))
                .isInstanceOf(IllegalStateException.class);
    }
}
