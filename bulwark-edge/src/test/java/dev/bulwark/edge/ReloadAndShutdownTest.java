package dev.bulwark.edge;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Config reload under load, listener changes refused, and graceful shutdown. */
class ReloadAndShutdownTest {
    private TestOrigin one;
    private TestOrigin two;
    private Edge edge;
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        one = new TestOrigin();
        two = new TestOrigin();
        edge = Edge.start(Configs.create().http().zone(unmitigated("app", "app.test", one.url())).build(), EdgeServices.quiet());
        http = edge.boundAddresses().get("http");
    }

    /**
     * The load below is four clients on one address as fast as they go: a flood by the attack
     * detector's measure, which would rightly block it. This test is about reloads, so the zone's
     * automatic mitigation is off (as in bench/proxy.sh).
     */
    private static dev.bulwark.core.config.ZoneConfig unmitigated(String id, String host, String origin) {
        return new dev.bulwark.core.config.ZoneConfig(id, List.of(host), null, Configs.pool(origin), null, null, null, null, null, null,
                new dev.bulwark.core.config.DdosConfig(false, null, null, null, null, null));
    }

    @AfterEach
    void stop() {
        edge.close();
        one.close();
        two.close();
    }

    @Test
    void reloadUnderLoadFailsNoRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            clients.add(pool.submit(() -> {
                try (RawHttp c = new RawHttp(http)) {
                    for (int i = 0; i < 2000 && running.get(); i++) {
                        RawHttp.Response r = c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read();
                        if (r.status() == 200) ok.incrementAndGet();
                        else failures.add("status " + r.status());
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                }
            }));
        }
        await().until(() -> ok.get() > 50);
        for (int i = 0; i < 20; i++) {
            String target = i % 2 == 0 ? two.url() : one.url();
            edge.apply(Configs.create().http().zone(unmitigated("app", "app.test", target)).zone("extra" + i, "extra" + i + ".test", target).build());
            Thread.sleep(20);
        }
        running.set(false);
        for (Future<?> f : clients) f.get();
        pool.shutdown();
        assertThat(failures).isEmpty();
        assertThat(one.count()).isPositive();
        assertThat(two.count()).as("the reload took effect").isPositive();
    }

    @Test
    void reloadRoutesNewZonesAndDropsOldOnes() throws Exception {
        edge.apply(Configs.create().http().zone("new", "new.test", two.url()).build());
        assertThat(RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: new.test\r\n\r\n").status()).isEqualTo(200);
        assertThat(RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: app.test\r\n\r\n").status()).isEqualTo(404);
    }

    @Test
    void listenerChangesAreRefusedAndTheRunningConfigKept() {
        BulwarkConfig moved = Configs.create().http().https("tls", null, null).zone("app", "app.test", two.url()).build();
        assertThatThrownBy(() -> edge.apply(moved)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("restart");
        assertThat(edge.runtime().snapshot().config().zones().get(0).origins().servers().get(0).url()).isEqualTo(one.url());
    }

    @Test
    void badCertificateIsRefusedWholeAndTheRunningConfigKept() throws Exception {
        BulwarkConfig bad = Configs.create().http().zone(Configs.zone("app", List.of("app.test"),
                new dev.bulwark.core.config.CertificateConfig("/nonexistent.crt", "/nonexistent.key"), Configs.pool(two.url()), null, null)).build();
        assertThatThrownBy(() -> edge.apply(bad)).hasMessageContaining("/nonexistent.crt");
        assertThat(RawHttp.exchange(http, "GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").status()).isEqualTo(200);
        assertThat(two.count()).isZero();
    }

    @Test
    void shutdownLetsTheInFlightRequestFinishAndStopsAccepting() throws Exception {
        RawHttp slow = new RawHttp(http);
        slow.send("GET /slow?ms=800 HTTP/1.1\r\nHost: app.test\r\n\r\n");
        await().until(() -> one.count() == 1);
        RawHttp idle = new RawHttp(http);
        assertThat(idle.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read().status()).isEqualTo(200);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> edge.shutdown(Duration.ofSeconds(10)));
        RawHttp.Response r = slow.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("slow");
        assertThat(r.header("connection")).as("the drained connection is closed after its response").isEqualTo("close");
        assertThat(idle.closedByServer()).as("an idle keep-alive connection is closed at once").isTrue();
        stopping.get();
        assertThatThrownBy(() -> new RawHttp(http)).isInstanceOf(ConnectException.class);
        slow.close();
        idle.close();
    }

    @Test
    void shutdownDrainsHttp2StreamsWithGoaway() throws Exception {
        try (dev.bulwark.edge.support.RawH2 h2 = new dev.bulwark.edge.support.RawH2(http)) {
            CompletableFuture<dev.bulwark.edge.support.RawH2.Result> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return h2.request(new io.netty.handler.codec.http2.DefaultHttp2Headers(false).method("GET").scheme("http")
                            .authority("app.test").path("/slow?ms=800"), null);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            await().until(() -> one.count() == 1);
            edge.shutdown(Duration.ofSeconds(10));
            dev.bulwark.edge.support.RawH2.Result r = call.get();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("slow");
            assertThat(h2.sawGoaway()).isTrue();
        }
    }

    @Test
    void shutdownCutsRequestsThatOutliveTheDrainTime() throws Exception {
        try (RawHttp slow = new RawHttp(http)) {
            slow.send("GET /slow?ms=5000 HTTP/1.1\r\nHost: app.test\r\n\r\n");
            await().until(() -> one.count() == 1);
            long t0 = System.nanoTime();
            edge.shutdown(Duration.ofMillis(200));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
            assertThat(slow.closedByServer()).isTrue();
        }
    }
}
