package dev.bulwark.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final String GOOD = """
            edge:
              listeners:
                - name: http
                  address: 127.0.0.1:8080
              trusted_proxies: [10.0.0.0/8, "::1"]
              http:
                max_header_bytes: 16KiB
                header_timeout: 5s
            zones:
              - id: demo
                hostnames: [demo.localhost, "*.demo.localhost"]
                origins:
                  balance: least-outstanding
                  servers:
                    - url: http://127.0.0.1:18080
                    - url: http://127.0.0.1:18081
                      weight: 3
                  health_check:
                    path: /healthz
                    interval: 250ms
                limits:
                  max_body_bytes: 1GiB
            """;

    @Test
    void parsesSnakeCaseDurationsSizesAndEnums() throws Exception {
        BulwarkConfig c = ConfigLoader.parse("test.yaml", GOOD, null);
        assertThat(c.edge().http().maxHeaderBytes()).isEqualTo(16 * 1024);
        assertThat(c.edge().http().headerTimeout()).isEqualTo(Duration.ofSeconds(5));
        ZoneConfig z = c.zones().get(0);
        assertThat(z.origins().balance()).isEqualTo(OriginPoolConfig.Balance.LEAST_OUTSTANDING);
        assertThat(z.origins().servers().get(1).weight()).isEqualTo(3);
        assertThat(z.origins().healthCheck().enabled()).isTrue();
        assertThat(z.origins().healthCheck().interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(z.limits().maxBodyBytes()).isEqualTo(1L << 30);
        assertThat(c.admin().address()).isEqualTo("127.0.0.1:9090");
    }

    @Test
    void unknownKeyNamesLineAndKey() {
        String bad = GOOD.replace("    hostnames:", "    hostname_typo: x\n    hostnames:");
        assertThatThrownBy(() -> ConfigLoader.parse("bad.yaml", bad, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigProblem p = ((ConfigException) e).problems().get(0);
                    assertThat(p.source()).isEqualTo("bad.yaml");
                    assertThat(p.line()).isEqualTo(11);
                    assertThat(p.reason()).contains("unknown key 'hostname_typo'");
                });
    }

    @Test
    void semanticErrorsPointAtTheirLine() {
        String bad = GOOD.replace("http://127.0.0.1:18081", "ftp://127.0.0.1:18081");
        assertThatThrownBy(() -> ConfigLoader.parse("bad.yaml", bad, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigProblem p = ((ConfigException) e).problems().get(0);
                    assertThat(p.line()).isEqualTo(16);
                    assertThat(p.path()).isEqualTo("zones[0].origins.servers[1].url");
                    assertThat(p.toString()).startsWith("bad.yaml:16:").contains("http:// or https://");
                });
    }

    @Test
    void badDurationAndEnumAreExplained() {
        assertThatThrownBy(() -> ConfigLoader.parse("d.yaml", GOOD.replace("5s", "5 parsecs"), null))
                .hasMessageContaining("d.yaml:8").hasMessageContaining("unknown duration unit");
        assertThatThrownBy(() -> ConfigLoader.parse("e.yaml", GOOD.replace("least-outstanding", "random"), null))
                .hasMessageContaining("e.yaml:13").hasMessageContaining("round_robin");
    }

    @Test
    void duplicateHostnameAcrossZonesIsRefused() {
        String two = GOOD + """
                  - id: other
                    hostnames: [demo.localhost]
                    origins:
                      servers: [{url: "http://127.0.0.1:1"}]
                """;
        assertThatThrownBy(() -> ConfigLoader.parse("dup.yaml", two, null))
                .hasMessageContaining("already served by zone 'demo'");
    }

    @Test
    void theSameOriginTwiceIsRefused() {
        String dup = GOOD.replace("http://127.0.0.1:18081", "http://127.0.0.1:18080");
        assertThatThrownBy(() -> ConfigLoader.parse("dup.yaml", dup, null))
                .hasMessageContaining("dup.yaml:16:").hasMessageContaining("listed twice");
    }
}
