package dev.bulwark.server.cli;

import dev.bulwark.server.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark rules check FILE}: exit 0 with a count, or exit 2 naming file, line and column of the bad rule. */
class RulesCommandTest {
    private static final String CONFIG = """
            zones:
              - id: shop
                hostnames: [shop.example]
                origins:
                  servers: [{url: "http://127.0.0.1:9000"}]
                firewall:
                  - id: wp-login
                    expression: http.request.method eq "POST" and http.request.uri.path eq "/wp-login.php"
                    action: block
                  - id: bad-ua
                    expression: http.user_agent matches "(?i)curl|wget"
                    action: challenge
            """;

    @Test
    void validRulesAreCounted(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("ok.yaml"), CONFIG);
        CliRunner.Run r = CliRunner.run("rules", "check", f.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("ok (2 rules in 1 zones)");
    }

    @Test
    void aBadFieldIsRefusedWithItsPosition(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), CONFIG.replace("http.user_agent matches", "http.user_agnt matches"));
        CliRunner.Run r = CliRunner.run("rules", "check", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml:11:").contains("bad-ua").contains("http.user_agnt");
    }
}
