package dev.bulwark.edge.policy;

import dev.bulwark.core.config.DdosConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.ddos.AttackEvent;
import dev.bulwark.core.observe.AttackRecord;
import dev.bulwark.core.time.ManualClock;
import dev.bulwark.edge.Edge;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.policy.ddos.ZoneDefense;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Autonomous attack mitigation over real sockets: the logging step feeds the zone's sampler,
 * detector ticks (driven here on a manual clock) open an event, its temporary rule refuses the
 * flood while other visitors pass, "under attack" mode challenges visitors without clearance,
 * and everything ends when the traffic calms down.
 */
class AttackMitigationTest {
    private static final String FLOOD = "GET /flood HTTP/1.1\r\nHost: app.test\r\nUser-Agent: floodbot/6.6\r\n\r\n";

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<AttackRecord> reported = new CopyOnWriteArrayList<>();
    private TestOrigin origin;
    private Edge edge;
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        ZoneConfig app = new ZoneConfig("app", List.of("app.test"), null, Configs.pool(origin.url()), null, null, null, null, null,
                Zones.challenge(false), new DdosConfig(true, DdosConfig.Sensitivity.MEDIUM, RateLimitRuleConfig.Action.BLOCK, true, null, null));
        edge = Edge.start(Configs.create().http().zone(app).build(), new EdgeServices(new SimpleMeterRegistry(), clock, log::add).withAttacks(reported::add));
        http = edge.boundAddresses().get("http");
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void aFloodIsDetectedMitigatedAndReleased() throws Exception {
        ZoneDefense defense = edge.policies().defense("app");
        tick(Duration.ZERO);
        for (int t = 0; t < 8; t++) { // two seconds of normal traffic teach the baseline
            Zones.get(http, "app.test", "/home", "User-Agent: Firefox/130");
            tick(Duration.ofMillis(250));
        }
        assertThat(defense.detector().current()).isEmpty();

        try (RawHttp bot = Zones.from("127.0.0.66", http)) {
            for (int t = 0; t < 3 && defense.detector().current().isEmpty(); t++) {
                for (int i = 0; i < 150; i++) bot.send(FLOOD).read();
                tick(Duration.ofMillis(250));
            }
            assertThat(defense.detector().current()).as("an attack event opened").isPresent();
            AttackEvent event = defense.detector().current().orElseThrow();
            assertThat(defense.detector().activeRule()).as("with a temporary rule").isNotNull();

            RawHttp.Response refused = bot.send(FLOOD).read();
            assertThat(refused.status()).isEqualTo(403);
            await().until(() -> log.stream().anyMatch(l -> l.contains("\"rule\":\"ddos:" + event.id() + "\"")));
            assertThat(edge.policies().attackEvents().get("app")).extracting(AttackEvent::id).contains(event.id());
            assertThat(reported).as("the opening was reported").first().satisfies(r -> {
                assertThat(r.id()).isEqualTo(event.id());
                assertThat(r.ongoing()).isTrue();
                assertThat(r.action()).isEqualTo("block");
            });
        }

        RawHttp.Response visitor = Zones.get(http, "app.test", "/home", "User-Agent: Firefox/130", "Accept: text/html");
        assertThat(visitor.status()).as("under attack: a visitor without clearance is challenged, not blocked").isEqualTo(403);
        assertThat(visitor.header("bulwark-mitigated")).isEqualTo("challenge");
        assertThat(Zones.get(http, "app.test", "/robots.txt", "User-Agent: Firefox/130").status())
                .as("exempt paths stay open under attack").isEqualTo(200);

        for (int t = 0; t < 48 && defense.detector().current().isPresent(); t++) tick(Duration.ofMillis(250));
        assertThat(defense.detector().current()).as("the event ended once traffic calmed").isEmpty();
        assertThat(defense.detector().activeRule()).isNull();
        assertThat(reported.getLast().id()).isEqualTo(defense.detector().events().getFirst().id());
        assertThat(reported.getLast().ongoing()).as("the end was reported").isFalse();
        assertThat(Zones.get(http, "app.test", "/home", "User-Agent: Firefox/130", "Accept: text/html").status()).isEqualTo(200);
        try (RawHttp bot = Zones.from("127.0.0.66", http)) {
            assertThat(bot.send(FLOOD).read().status()).as("the temporary rule expired").isEqualTo(200);
        }
    }

    @Test
    void removingTheZoneEndsItsOngoingEvent() throws Exception {
        ZoneDefense defense = edge.policies().defense("app");
        tick(Duration.ZERO);
        for (int t = 0; t < 8; t++) {
            Zones.get(http, "app.test", "/home", "User-Agent: Firefox/130");
            tick(Duration.ofMillis(250));
        }
        try (RawHttp bot = Zones.from("127.0.0.66", http)) {
            for (int t = 0; t < 3 && defense.detector().current().isEmpty(); t++) {
                for (int i = 0; i < 150; i++) bot.send(FLOOD).read();
                tick(Duration.ofMillis(250));
            }
        }
        String id = defense.detector().current().orElseThrow().id();
        edge.apply(Configs.create().http().build());
        assertThat(reported.getLast().id()).isEqualTo(id);
        assertThat(reported.getLast().ongoing()).as("not left open in the store").isFalse();
    }

    private void tick(Duration d) {
        clock.advance(d);
        edge.policies().tickDetectors();
    }
}
