package dev.bulwark.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitsConfigTest {
    private static final String ZONE = """
            edge:
              listeners:
                - name: http
                  address: 127.0.0.1:8080
              guard:
                max_connections_per_address: 64
                ban_duration: 15m
            zones:
              - id: shop
                hostnames: [shop.localhost]
                origins:
                  servers:
                    - url: http://127.0.0.1:18080
                rate_limits:
                  - id: login
                    expression: http.request.uri.path eq "/login"
                    key: [ip.src, 'http.request.headers["x-api-key"]']
                    period: 1m
                    requests: 10
                    action: challenge
                    mitigation_timeout: 10m
                  - id: shadow
                    key: [ip.prefix]
                    requests: 1000
                    mode: log
                ddos:
                  sensitivity: high
                  action: challenge
                  auto_under_attack: true
                  origin_max_concurrent: 200
                  origin_queue: 50
            """;

    @Test
    void rateLimitGuardAndDdosSettingsLoad() throws Exception {
        BulwarkConfig c = ConfigLoader.parse("limits.yaml", ZONE, null);
        assertThat(c.edge().guard().maxConnectionsPerAddress()).isEqualTo(64);
        assertThat(c.edge().guard().banDuration()).isEqualTo(Duration.ofMinutes(15));
        ZoneConfig z = c.zones().getFirst();
        RateLimitRuleConfig login = z.rateLimits().getFirst();
        assertThat(login.key()).isEqualTo(List.of("ip.src", "http.request.headers[\"x-api-key\"]"));
        assertThat(login.action()).isEqualTo(RateLimitRuleConfig.Action.CHALLENGE);
        assertThat(login.mitigationTimeout()).isEqualTo(Duration.ofMinutes(10));
        RateLimitRuleConfig shadow = z.rateLimits().get(1);
        assertThat(shadow.mode()).isEqualTo(FirewallRuleConfig.Mode.LOG);
        assertThat(shadow.period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(z.ddos().sensitivity()).isEqualTo(DdosConfig.Sensitivity.HIGH);
        assertThat(z.ddos().autoUnderAttack()).isTrue();
        assertThat(z.ddos().originMaxConcurrent()).isEqualTo(200);
    }

    @Test
    void unknownKeyCharacteristicIsReportedAtItsLine() {
        String bad = ZONE.replace("key: [ip.prefix]", "key: [ip.prefixx]");
        assertThatThrownBy(() -> ConfigLoader.parse("bad.yaml", bad, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigProblem p = ((ConfigException) e).problems().getFirst();
                    assertThat(p.path()).isEqualTo("zones[0].rate_limits[1].key[0]");
                    assertThat(p.line()).isEqualTo(23);
                    assertThat(p.reason()).contains("ip.prefixx");
                });
    }

    @Test
    void closeIsARateLimitActionButNotAnAttackMitigationOne() throws Exception {
        String close = ZONE.replaceFirst("action: challenge", "action: close"); // the first is the login rule's
        assertThat(ConfigLoader.parse("close.yaml", close, null).zones().getFirst().rateLimits().getFirst().action())
                .isEqualTo(RateLimitRuleConfig.Action.CLOSE);
        String ddosClose = ZONE.replaceFirst("(?s)(ddos:.*?)action: challenge", "$1action: close");
        assertThat(ddosClose).isNotEqualTo(ZONE);
        assertThatThrownBy(() -> ConfigLoader.parse("ddos.yaml", ddosClose, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigProblem p = ((ConfigException) e).problems().getFirst();
                    assertThat(p.path()).isEqualTo("zones[0].ddos.action");
                    assertThat(p.reason()).isEqualTo("attack mitigation supports block, challenge or log");
                });
    }

    @Test
    void missingLimitAndBadGuardAreReported() {
        String bad = ZONE.replaceAll("(?m)^ *requests: 1000\\n", "").replace("max_connections_per_address: 64", "max_connections_per_address: 0");
        assertThatThrownBy(() -> ConfigLoader.parse("bad.yaml", bad, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigProblem::path)
                        .contains("edge.guard.max_connections_per_address", "zones[0].rate_limits[1].requests"));
    }
}
