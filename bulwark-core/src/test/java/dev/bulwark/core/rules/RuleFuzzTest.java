package dev.bulwark.core.rules;

import dev.bulwark.core.request.SimpleRequestFacts;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property: whatever the input, compiling either succeeds (and the result evaluates without
 * throwing) or throws {@link RuleSyntaxException} with a position inside the input. Seeded,
 * bounded in count and time.
 */
class RuleFuzzTest {
    private static final String[] VOCABULARY = {
            "ip.src", "http.host", "http.request.method", "http.request.uri", "http.request.uri.path", "http.request.uri.query",
            "http.request.uri.args", "http.request.headers", "http.request.cookies", "http.cookie", "http.user_agent",
            "http.referer", "http.request.version", "ssl", "bulwark.zone.under_attack", "bulwark.clearance.level",
            "bulwark.clearance.id", "eq", "ne", "lt", "le", "gt", "ge", "contains", "matches", "wildcard", "in", "and", "or",
            "not", "==", "!=", "<", "<=", ">", ">=", "~", "&&", "||", "!", "(", ")", "{", "}", "[", "]", ",", "..", "$ips",
            "$names", "$missing", "lower(", "upper(", "len(", "starts_with(", "ends_with(", "url_decode(", "\"x\"", "\"\"",
            "\"(\"", "\"a*b\"", "r\"^\\d+$\"", "\"[\"", "1", "0", "-1", "99999999999999999999", "10.0.0.0/8", "::1",
            "2001:db8::/32", "fe80::", "1.2.3.4", "300.1.1.1", "true", "false", "\"\\x41\"", "\"\\", "#", "=", "é", "😀", "\n",
            "1.2.3.4 in $ips", "\"a\" in $names", "1 in {1..2}", "true eq ssl", "::1 eq ip.src", "len(\"é\") == 2"
    };
    private static final String[] SEEDS = {
            "http.request.method eq \"POST\" and http.request.uri.path eq \"/wp-login.php\" and not ip.src in $ips",
            "lower(http.user_agent) matches \"(bot|crawler)\" or http.request.headers[\"x-a\"] wildcard \"*evil*\"",
            "bulwark.clearance.level in {1 3..5} && ssl || http.host in $names",
            "starts_with(url_decode(http.request.uri.args[\"q\"]), \"<script\") and len(http.cookie) gt 4000",
    };

    @Test
    void randomInputOnlyEverFailsWithAPositionedSyntaxError() throws Exception {
        // -Drules.fuzz.iterations=N -Drules.fuzz.seed=S run a longer hunt locally; the suite stays fast
        int iterations = Integer.getInteger("rules.fuzz.iterations", 15_000);
        Random rnd = new Random(Long.getLong("rules.fuzz.seed", 20261123L));
        NamedLists lists = new NamedLists(Map.of("ips", List.of("10.0.0.0/8", "2001:db8::/32"), "names", List.of("a", "b")), Map.of());
        SimpleRequestFacts request = new SimpleRequestFacts().client(InetAddress.getByName("10.1.2.3")).host("a")
                .uri("/x?q=%3Cscript").header("User-Agent", "bot").header("Cookie", "a=b").tls(true).clearance(3, "c");
        long deadline = System.nanoTime() + Math.max(5_000_000_000L, iterations * 400_000L);
        int compiled = 0, refused = 0;
        for (int n = 0; n < iterations && System.nanoTime() < deadline; n++) {
            String input = switch (n % 3) {
                case 0 -> randomChars(rnd);
                case 1 -> tokenSoup(rnd);
                default -> mutate(rnd, SEEDS[rnd.nextInt(SEEDS.length)]);
            };
            try {
                RuleExpression e = RuleExpression.compile(input, lists);
                e.matches(request);
                e.matches(new SimpleRequestFacts());
                compiled++;
            } catch (RuleSyntaxException e) {
                refused++;
                assertThat(e.line()).as(input).isGreaterThanOrEqualTo(1);
                assertThat(e.column()).as(input).isGreaterThanOrEqualTo(1);
                assertThat(e.offset()).as(input).isBetween(0, input.length());
                assertThat(e.reason()).as(input).isNotBlank();
            } catch (Throwable t) {
                fail("input " + quote(input) + " threw " + t, t);
            }
        }
        assertThat(refused).isGreaterThan(Math.min(500, iterations / 30));
        assertThat(compiled).as("some random inputs are valid expressions").isGreaterThan(50);
    }

    private static String randomChars(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int len = rnd.nextInt(40);
        for (int i = 0; i < len; i++) {
            int k = rnd.nextInt(10);
            if (k < 7) sb.append((char) (32 + rnd.nextInt(95)));
            else if (k == 7) sb.append((char) rnd.nextInt(32));
            else if (k == 8) sb.append((char) (0x80 + rnd.nextInt(0x2000)));
            else sb.appendCodePoint(0x1F600 + rnd.nextInt(50));
        }
        return sb.toString();
    }

    private static String tokenSoup(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int len = 1 + rnd.nextInt(12);
        for (int i = 0; i < len; i++) {
            sb.append(VOCABULARY[rnd.nextInt(VOCABULARY.length)]);
            if (rnd.nextInt(4) != 0) sb.append(' ');
        }
        return sb.toString();
    }

    private static String mutate(Random rnd, String seed) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + rnd.nextInt(3);
        for (int i = 0; i < edits && !sb.isEmpty(); i++) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, VOCABULARY[rnd.nextInt(VOCABULARY.length)]);
                default -> sb.setCharAt(at, (char) (32 + rnd.nextInt(95)));
            }
        }
        return sb.toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> sb.append(cp < 32 || cp > 126 ? String.format("\\u{%x}", cp) : Character.toString(cp)));
        return sb.append('"').toString();
    }
}
