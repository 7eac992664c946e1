package dev.bulwark.core.rules;

import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Rule problems found by the config loader and by {@code bulwark rules check} point into the YAML file. */
class RulesCheckTest {
    private static final String HEAD = """
            edge:
              listeners:
                - name: http
                  address: 127.0.0.1:8080
            lists:
              office: [198.51.100.0/24]
            zones:
              - id: shop
                hostnames: [shop.localhost]
                origins:
                  servers:
                    - url: http://127.0.0.1:18080
                lists:
                  bad_agents: [sqlmap, nikto]
                firewall:
            """;

    @Test
    void goodRulesLoadAndCheckClean(@TempDir Path dir) throws Exception {
        String yaml = HEAD + """
                      - id: office
                        expression: ip.src in $office
                        action: allow
                      - id: agents
                        expression: http.user_agent in $bad_agents
                        action: block
                        mode: log
                      - id: health
                        expression: 'http.request.uri.path eq "/healthz"'
                        action: skip
                        skip_phases: [ratelimit, challenge]
                """;
        assertThat(ConfigLoader.parse("ok.yaml", yaml, null).zones().get(0).firewall()).hasSize(3);
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, yaml);
        RulesCheck.Report report = RulesCheck.run(f);
        assertThat(report.ok()).isTrue();
        assertThat(report.rules()).isEqualTo(3);
        assertThat(RulesCheck.check(f)).isEmpty();
    }

    @Test
    void plainScalarErrorPointsAtTheCharacter(@TempDir Path dir) throws Exception {
        String yaml = HEAD + """
                      - id: typo
                        expression: http.request.metod eq "GET"
                        action: block
                """;
        // line 17 is the expression; the value starts at column 21, the error is at its first character
        ConfigProblem p = loadProblem(yaml);
        assertThat(p.line()).isEqualTo(17);
        assertThat(p.column()).isEqualTo(21);
        assertThat(p.path()).isEqualTo("zones[0].firewall[0].expression");
        assertThat(p.reason()).startsWith("rule typo: unknown field 'http.request.metod'");
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, yaml);
        assertThat(RulesCheck.check(f)).containsExactly(
                f + ":17:21: shop/typo: unknown field 'http.request.metod' (did you mean 'http.request.method'?)");
    }

    @Test
    void quotedScalarErrorSkipsTheQuote() {
        String yaml = HEAD + """
                      - id: q
                        expression: "ssl and http.host eq 3"
                        action: block
                """;
        ConfigProblem p = loadProblem(yaml);
        assertThat(p.line()).isEqualTo(17);
        assertThat(p.column()).isEqualTo(21 + 1 + 21); // opening quote, then column 22 of the expression
    }

    @Test
    void literalBlockErrorPointsIntoItsLine(@TempDir Path dir) throws Exception {
        String yaml = HEAD + """
                      - id: block-wp
                        expression: |
                          http.request.method eq "POST"
                            and http.request.uri.path eq "/wp-login.php"
                            and not ip.src in $offise
                        action: block
                      - expression: ssl
                        action: skip
                """;
        ConfigProblem p = loadProblem(yaml);
        assertThat(p.line()).isEqualTo(20);
        assertThat(p.column()).isEqualTo(12 + 2 + 18 + 1); // block indent 12, expression line "  and not ip.src in $offise"
        Path f = dir.resolve("block.yaml");
        Files.writeString(f, yaml);
        assertThat(RulesCheck.check(f)).containsExactly(
                f + ":20:33: shop/block-wp: unknown list $offise (defined: $bad_agents, $office)",
                f + ":22:9: shop/#2: action skip needs skip_phases (one or more of access, challenge, firewall, ratelimit)");
    }

    @Test
    void foldedPlainScalarOverSeveralLines() {
        String yaml = HEAD + """
                      - id: folded
                        expression: http.host eq "a"
                          and http.hots eq "b"
                        action: block
                """;
        ConfigProblem p = loadProblem(yaml);
        assertThat(p.line()).isEqualTo(18);
        assertThat(p.column()).isEqualTo(15);
    }

    @Test
    void otherConfigProblemsAreStillReported(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "zones: [");
        assertThat(RulesCheck.check(f)).singleElement().asString().startsWith(f.toString());
        assertThat(RulesCheck.check(dir.resolve("missing.yaml"))).singleElement().asString().contains("cannot read");
    }

    private static ConfigProblem loadProblem(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("t.yaml", yaml, null));
        assertThat(e).as("config should be refused").isNotNull();
        return e.problems().get(0);
    }
}
