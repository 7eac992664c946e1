package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.HealthCheckConfig;
import dev.bulwark.core.config.OriginPoolConfig.Balance;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a probe puts in its Host header and TLS server name. */
class HealthProbeTest {
    private static Origin origin(String url) {
        return OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, url), new ManualClock()).origins().get(0);
    }

    private static HealthCheckConfig host(String host) {
        return new HealthCheckConfig(true, "/", host, null, null, null, null, null, null);
    }

    @Test
    void hostHeader() {
        assertThat(HealthProbe.hostHeader(origin("http://app.example"), host(null))).isEqualTo("app.example");
        assertThat(HealthProbe.hostHeader(origin("https://app.example"), host(null))).isEqualTo("app.example");
        assertThat(HealthProbe.hostHeader(origin("https://app.example:80"), host(null))).isEqualTo("app.example:80");
        assertThat(HealthProbe.hostHeader(origin("http://[::1]:8080"), host(null))).isEqualTo("[::1]:8080");
        assertThat(HealthProbe.hostHeader(origin("http://10.0.0.1:8080"), host("www.example"))).isEqualTo("www.example");
    }

    @Test
    void serverName() {
        assertThat(HealthProbe.sniHost(origin("https://app.example"), host(null))).isEqualTo("app.example");
        assertThat(HealthProbe.sniHost(origin("https://10.0.0.1"), host(null))).isNull();
        assertThat(HealthProbe.sniHost(origin("https://[::1]"), host(null))).isNull();
        assertThat(HealthProbe.sniHost(origin("https://10.0.0.1"), host("www.example:8443"))).isEqualTo("www.example");
        assertThat(HealthProbe.sniHost(origin("https://10.0.0.1"), host("[::1]:8443"))).isNull();
        assertThat(HealthProbe.sniHost(origin("https://app.example"), host("10.0.0.9"))).isNull();
    }
}
