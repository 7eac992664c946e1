package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.HealthCheckConfig;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.OriginPoolConfig.Balance;
import dev.bulwark.core.time.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The names the admin port exports, as Prometheus sees them. */
class HealthMetricsTest {
    @Test
    void exportsHealthOutstandingAndProbeCountsPerZoneAndOrigin() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (TestOrigin server = new TestOrigin();
             HealthChecker checker = new HealthChecker(group, NioSocketChannel.class, Clock.SYSTEM, prometheus)) {
            // "localhost" goes through a real name lookup, off the event loop.
            OriginPool pool = OriginPool.of(new OriginPoolConfig(Balance.LEAST_OUTSTANDING,
                    List.of(new OriginConfig("http://localhost:" + server.port(), 2)), null, null, null), Clock.SYSTEM);
            pool.origins().get(0).onRequestStart();
            checker.watch("shop", pool, new HealthCheckConfig(true, "/", null, Duration.ofMillis(30),
                    Duration.ofSeconds(1), 1, 1, null, null));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.hits() >= 1);

            String labels = "origin=\"localhost:" + server.port() + "\",zone=\"shop\"";
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                String text = prometheus.scrape();
                assertThat(text).contains("bulwark_origin_healthy{" + labels + "} 1");
                assertThat(text).contains("bulwark_origin_outstanding{" + labels + "} 1");
                assertThat(text).containsPattern("bulwark_health_probes_total\\{origin=\"localhost:\\d+\",result=\"success\",zone=\"shop\"} [1-9]");
            });
            checker.unwatch("shop");
            assertThat(prometheus.scrape()).doesNotContain("bulwark_origin_healthy{");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
