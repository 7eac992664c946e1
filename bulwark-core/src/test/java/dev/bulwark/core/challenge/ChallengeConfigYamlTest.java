package dev.bulwark.core.challenge;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The challenge section as an operator writes it in YAML, compiled into rules. */
class ChallengeConfigYamlTest {
    static final String YAML = """
            edge:
              listeners:
                - name: http
                  address: 127.0.0.1:8080
            zones:
              - id: shop
                hostnames: [shop.localhost]
                origins:
                  servers:
                    - url: http://127.0.0.1:18080
                challenge:
                  difficulty: 18
                  max_difficulty: 24
                  clearance_ttl: 45m
                  token_ttl: 5m
                  noscript_wait: 8s
                  noscript_fallback: false
                  under_attack: true
                  exempt_paths: [/robots.txt, /.well-known/, /feed.xml, /sitemaps/*]
                  exempt_addresses: [192.0.2.0/24]
                  branding:
                    title: Acme checkout
                    heading: Just a second
                    accent_color: "#ff6600"
                    logo_text: ACME
              - id: blog
                hostnames: [blog.localhost]
                origins:
                  servers:
                    - url: http://127.0.0.1:18081
            """;

    @Test
    void everySettingIsReadAndCompiles() throws Exception {
        BulwarkConfig c = ConfigLoader.parse("zones.yaml", YAML, null);
        ChallengeConfig shop = c.zones().get(0).challenge();
        assertThat(shop.difficulty()).isEqualTo(18);
        assertThat(shop.maxDifficulty()).isEqualTo(24);
        assertThat(shop.clearanceTtl()).isEqualTo(Duration.ofMinutes(45));
        assertThat(shop.tokenTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(shop.noscriptWait()).isEqualTo(Duration.ofSeconds(8));
        assertThat(shop.underAttack()).isTrue();
        assertThat(shop.noscriptFallback()).isFalse();
        assertThat(shop.branding().accentColor()).isEqualTo("#ff6600");
        ChallengeRules rules = ChallengeRules.compile(shop);
        assertThat(rules.exemptPath("/sitemaps/2026.xml")).isTrue();
        assertThat(rules.exemptAddress(Fixtures.ip("192.0.2.9"))).isTrue();
        assertThat(rules.difficulty(4)).isEqualTo(24);

        ChallengeConfig blog = c.zones().get(1).challenge();
        assertThat(blog).isEqualTo(ChallengeConfig.defaults());
        assertThat(blog.difficulty()).isEqualTo(16);
        assertThat(blog.noscriptFallback()).isTrue();
        assertThat(blog.clearanceTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(blog.exemptPaths()).containsExactly("/robots.txt", "/.well-known/");
        assertThat(ChallengeRules.compile(blog).difficulty(4)).isEqualTo(22);
    }
}
