package dev.bulwark.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** edge.http slow-client deadlines and HTTP/2 flood thresholds: loaded, defaulted, and refused at their line. */
class SlowClientConfigTest {
    private static final String FILE = """
            edge:
              listeners:
                - name: http
                  address: 127.0.0.1:8080
              http:
                min_body_rate: 2KiB/s
                body_grace: 3s
                body_rate_window: 4s
                body_timeout: 10m
                write_timeout: 20s
                max_outbound_buffer: 256KiB
                h2_abuse:
                  window: 5s
                  max_resets: 100
                  max_pings: 30
            """;

    @Test
    void settingsLoadAndTheRestDefault() throws Exception {
        HttpLimits h = ConfigLoader.parse("slow.yaml", FILE, null).edge().http();
        assertThat(h.minBodyRate()).isEqualTo(2048);
        assertThat(h.bodyGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(h.bodyRateWindow()).isEqualTo(Duration.ofSeconds(4));
        assertThat(h.bodyTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(h.writeTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(h.maxOutboundBuffer()).isEqualTo(256 * 1024);
        assertThat(h.h2Abuse().window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(h.h2Abuse().maxResets()).isEqualTo(100);
        assertThat(h.h2Abuse().maxPings()).isEqualTo(30);
        assertThat(h.h2Abuse().maxSettings()).as("default").isEqualTo(20);
        assertThat(h.headerTimeout()).as("default").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void defaultsWithoutAnyHttpSection() {
        HttpLimits h = HttpLimits.defaults();
        assertThat(h.minBodyRate()).isEqualTo(1024);
        assertThat(h.bodyTimeout()).as("no ceiling unless asked").isZero();
        assertThat(h.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(h.maxOutboundBuffer()).isEqualTo(128 * 1024);
        assertThat(h.h2Abuse()).isEqualTo(Http2AbuseLimits.defaults());
    }

    @Test
    void aBadRateIsRefusedAtItsLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("slow.yaml", FILE.replace("2KiB/s", "fast"), null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigProblem p = ((ConfigException) e).problems().getFirst();
                    assertThat(p.line()).isEqualTo(6);
                    assertThat(p.toString()).startsWith("slow.yaml:6:").contains("min_body_rate");
                });
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheirPaths() {
        String bad = FILE.replace("body_rate_window: 4s", "body_rate_window: 0s").replace("write_timeout: 20s", "write_timeout: 0s")
                .replace("max_outbound_buffer: 256KiB", "max_outbound_buffer: 1KiB").replace("window: 5s", "window: 1500ms")
                .replace("max_resets: 100", "max_resets: 0");
        assertThatThrownBy(() -> ConfigLoader.parse("slow.yaml", bad, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    var problems = ((ConfigException) e).problems();
                    assertThat(problems).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                            "edge.http.body_rate_window", "edge.http.write_timeout", "edge.http.max_outbound_buffer",
                            "edge.http.h2_abuse.window", "edge.http.h2_abuse.max_resets");
                    assertThat(problems).allSatisfy(p -> assertThat(p.line()).isPositive());
                    assertThat(problems).filteredOn(p -> p.path().equals("edge.http.h2_abuse.max_resets"))
                            .singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(14));
                });
    }

    @Test
    void theRemovedGuardPlaceholdersAreUnknownKeys() {
        String old = FILE.replace("  http:\n", "  guard:\n    write_timeout: 5s\n  http:\n");
        assertThatThrownBy(() -> ConfigLoader.parse("slow.yaml", old, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().getFirst().line()).isEqualTo(6));
    }
}
