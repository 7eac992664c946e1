package dev.bulwark.edge.policy;

import dev.bulwark.core.config.DdosConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.edge.Edge;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The origin shield over real sockets: one request at the origin, one waiting, the rest answered 503. */
class OriginShieldTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private TestOrigin origin;
    private Edge edge;
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        ZoneConfig app = new ZoneConfig("app", List.of("app.test"), null, Configs.pool(origin.url()), null, null, null, null, null, null,
                new DdosConfig(null, null, null, null, 1, 1));
        edge = Edge.start(Configs.create().http().zone(app).build(),
                new EdgeServices(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), null, log::add));
        http = edge.boundAddresses().get("http");
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void oneAtTheOriginOneQueuedTheThird503() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(pool.submit(() -> Zones.get(http, "app.test", "/slow?ms=700").status()));
                if (i == 0) await().until(() -> origin.count() == 1); // the first holds the only slot
                else Thread.sleep(100);
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) statuses.add(f.get(10, TimeUnit.SECONDS));
            assertThat(statuses).containsExactlyInAnyOrder(200, 200, 503);
        } finally {
            pool.shutdownNow();
        }
        assertThat(origin.count()).as("never more than the cap at once; the queued one went after").isEqualTo(2);
        await().until(() -> log.stream().anyMatch(l -> l.contains("\"rule\":\"origin_shield\"")));
        await().until(() -> edge.runtime().snapshot().zones().find("app.test").policies().originShield().inFlight() == 0);
        RawHttp.Response after = Zones.get(http, "app.test", "/hello");
        assertThat(after.status()).as("slots were all released").isEqualTo(200);
    }
}
