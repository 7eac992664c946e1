package dev.bulwark.edge.upstream;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.bulwark.core.config.HealthCheckConfig;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.OriginPoolConfig.Balance;
import dev.bulwark.core.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Probes of {@code https} origins, against a real TLS server with a generated certificate. */
class HealthCheckerTlsTest {
    private static X509Bundle cert;
    private EventLoopGroup group;
    private HttpsServer server;
    private final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        if (cert == null) {
            cert = new CertificateBuilder().subject("CN=origin.test").addSanDnsName("origin.test")
                    .addSanIpAddress("127.0.0.1").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
        }
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(cert.toKeyManagerFactory().getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private OriginPool pool() {
        return OriginPool.of(new OriginPoolConfig(Balance.ROUND_ROBIN,
                List.of(new OriginConfig("https://127.0.0.1:" + server.getAddress().getPort(), null)), null, null, null),
                Clock.SYSTEM);
    }

    private static HealthCheckConfig check() {
        return new HealthCheckConfig(true, "/", "origin.test", Duration.ofMillis(50), Duration.ofSeconds(2), 1, 1, null, null);
    }

    @Test
    void probesATlsOriginWithTheGivenTrust() throws Exception {
        var clientTls = SslContextBuilder.forClient().trustManager(cert.toTrustManagerFactory()).build();
        try (HealthChecker checker = new HealthChecker(group, NioSocketChannel.class, Clock.SYSTEM,
                new SimpleMeterRegistry(), clientTls)) {
            OriginPool pool = pool();
            assertThat(pool.origins().get(0).tls()).isTrue();
            checker.watch("z", pool, check());
            await().atMost(Duration.ofSeconds(5)).until(() -> hits.get() >= 2);
            assertThat(pool.origins().get(0).healthy()).isTrue();
        }
    }

    @Test
    void anUntrustedCertificateFailsTheProbe() {
        try (HealthChecker checker = new HealthChecker(group, NioSocketChannel.class, Clock.SYSTEM, new SimpleMeterRegistry())) {
            OriginPool pool = pool();
            checker.watch("z", pool, check());
            await().atMost(Duration.ofSeconds(5)).until(() -> !pool.origins().get(0).healthy());
            assertThat(hits.get()).as("no request passes a failed handshake").isZero();
            assertThat(pool.origins().get(0).lastProbe().reason()).startsWith("TLS handshake failed");
        }
    }
}
