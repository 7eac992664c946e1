package dev.bulwark.core.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnforcementConfigTest {
    private static final String ZONE = """
            zones:
              - id: forum
                hostnames: [forum.example]
                origins:
                  servers:
                    - url: http://127.0.0.1:18080
            """;

    @Test
    void aZoneWithoutEnforcementIsActiveAndServesEverything() throws Exception {
        EnforcementConfig e = ConfigLoader.parse("z.yaml", ZONE, null).zones().get(0).enforcement();
        assertThat(e.status()).isEqualTo(EnforcementConfig.Status.ACTIVE);
        assertThat(e.terminated()).isFalse();
        assertThat(e.cache()).isTrue();
        assertThat(e.blocked("/anything")).isNull();
    }

    @Test
    void parsesStatusAndBlockedUrls() throws Exception {
        String yaml = ZONE + """
                    enforcement:
                      status: terminated
                      reason: Threats against named people.
                      legal: false
                      statement_url: https://bulwark.example/statements/1
                      since: 2026-11-23T18:00:00Z
                      report_url: https://abuse.bulwark.example/abuse
                      appeal_url: https://abuse.bulwark.example/appeal/act_1
                      blocked_urls:
                        - path: /leaks/*
                          reason: Personal information.
                          appeal_url: https://abuse.bulwark.example/appeal/act_2
                        - path: /post/7
                          reason: Court order.
                          legal: true
                """;
        EnforcementConfig e = ConfigLoader.parse("z.yaml", yaml, null).zones().get(0).enforcement();
        assertThat(e.terminated()).isTrue();
        assertThat(e.cache()).isFalse();
        assertThat(e.blocked("/leaks/a/b").reason()).isEqualTo("Personal information.");
        assertThat(e.blocked("/leaks")).isNull();
        assertThat(e.blocked("/post/7").legal()).isTrue();
        assertThat(e.blocked("/post/70")).isNull();
        assertThat(e.appealUrl()).isEqualTo("https://abuse.bulwark.example/appeal/act_1");
        assertThat(e.blocked("/leaks/a").appealUrl()).isEqualTo("https://abuse.bulwark.example/appeal/act_2");
        assertThat(e.blocked("/post/7").appealUrl()).isNull();
    }

    @Test
    void aTerminationWithoutReasonIsRefusedWithItsPosition() {
        String yaml = ZONE + """
                    enforcement:
                      status: terminated
                """;
        assertThatThrownBy(() -> ConfigLoader.parse("z.yaml", yaml, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("z.yaml:")
                .hasMessageContaining("a terminated zone needs a reason");
    }

    @Test
    void badUrlsAndDatesAreRefused() {
        assertThatThrownBy(() -> new EnforcementConfig(null, null, null, "ftp://x", null, null, null, null)).hasMessageContaining("statement_url");
        assertThatThrownBy(() -> new EnforcementConfig(null, null, null, null, "yesterday", null, null, null)).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> new EnforcementConfig(null, null, null, null, null, null, null, "javascript:alert(1)")).hasMessageContaining("appeal_url");
        assertThatThrownBy(() -> new EnforcementConfig.BlockedUrl("post/7", "x", null, null, null, null)).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> new EnforcementConfig.BlockedUrl("/post/7", "x", null, null, null, "/appeal/1")).hasMessageContaining("appeal_url");
    }
}
