package dev.bulwark.edge.policy;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.EdgeConfig;
import dev.bulwark.core.config.GuardConfig;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.edge.Edge;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The connection guard at accept, over real sockets: caps per address, bans, release on close. */
class ConnectionGuardTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TestOrigin origin;
    private Edge edge;
    private EdgeServices services;
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        BulwarkConfig base = Configs.create().http().zone("app", "app.test", origin.url()).build();
        EdgeConfig e = base.edge();
        GuardConfig guard = new GuardConfig(2, 100, 100, 1000, 1000, Duration.ofMinutes(10));
        BulwarkConfig config = new BulwarkConfig(new EdgeConfig(e.listeners(), e.trustedProxies(), e.http(), guard,
                e.accessLog(), e.workerThreads()), null, null, base.zones());
        services = new EdgeServices(meters, null, null);
        edge = Edge.start(config, services);
        http = edge.boundAddresses().get("http");
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void aThirdConcurrentConnectionFromOneAddressIsClosedAtAcceptAndASlotFreesOnClose() throws Exception {
        try (RawHttp a = Zones.from("127.0.0.1", http); RawHttp b = Zones.from("127.0.0.1", http)) {
            assertThat(a.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(b.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read().status()).isEqualTo(200);
            try (RawHttp c = Zones.from("127.0.0.1", http)) {
                c.timeout(5_000);
                assertThat(c.closedByServer()).as("closed without an answer").isTrue();
            }
            try (RawHttp other = Zones.from("127.0.0.2", http)) {
                assertThat(other.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read().status())
                        .as("another address has its own cap").isEqualTo(200);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.runtime().metrics().registry()
                .get("bulwark.connections.open").gauge().value() == 0);
        try (RawHttp again = Zones.from("127.0.0.1", http)) {
            assertThat(again.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read().status())
                    .as("closed connections released their slots").isEqualTo(200);
        }
        assertThat(meters.get("bulwark.connections.refused").tag("reason", "address_connections").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aBannedAddressIsClosedBeforeAByteIsRead() throws Exception {
        services.blocklist().ban(Cidr.parse("127.0.0.9/32"), Duration.ofMinutes(1), "test");
        try (RawHttp banned = Zones.from("127.0.0.9", http)) {
            banned.timeout(5_000);
            assertThat(banned.closedByServer()).isTrue();
        }
        assertThat(Zones.get(http, "app.test", "/hello").status()).isEqualTo(200);
        assertThat(origin.count()).isEqualTo(1);
        assertThat(meters.get("bulwark.connections.refused").tag("reason", "banned").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aBanMadeWhileAConnectionIsOpenRefusesItsNextRequest() throws Exception {
        try (RawHttp c = Zones.from("127.0.0.12", http)) {
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read().status()).isEqualTo(200);
            services.blocklist().ban(Cidr.parse("127.0.0.12/32"), Duration.ofMinutes(1), "abuse report");
            RawHttp.Response r = c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).contains("blocked");
        }
        assertThat(origin.count()).isEqualTo(1);
    }
}
