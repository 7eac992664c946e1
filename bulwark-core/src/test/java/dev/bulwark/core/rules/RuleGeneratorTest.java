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
 * Generates well-formed expressions from the grammar (random fields, operators, functions,
 * sets, lists and literals) and evaluates the ones that type-check against random requests
 * with Unicode, percent-escapes and empty values: evaluation must never throw, and a
 * compile failure must be a positioned {@link RuleSyntaxException}.
 */
class RuleGeneratorTest {
    private static final String[] STRING_FIELDS = {"http.host", "http.request.method", "http.request.uri", "http.request.uri.path",
            "http.request.uri.path.extension", "http.request.uri.query", "http.request.uri.args[\"q\"]", "http.request.headers[\"x-a\"]",
            "http.request.cookies[\"s\"]", "http.cookie", "http.user_agent", "http.referer", "http.request.version",
            "bulwark.zone.id", "bulwark.clearance.id"};
    private static final String[] STRING_LITERALS = {"\"\"", "\"a\"", "\"%41\"", "\"é\"", "\"😀\"", "\"/x\"", "\"GET\"", "\"a+b\"", "\"K\""};
    private static final String[] PATTERNS = {"\"a*\"", "\"*\"", "\"*x*y\"", "\"\\\\*\"", "r\"(?i)(a|b)c\"", "r\"^/x\"", "\"é+\"", "\"\""};

    @Test
    void generatedExpressionsCompileOrFailCleanlyAndNeverThrowWhenEvaluated() throws Exception {
        Random rnd = new Random(4242);
        NamedLists lists = new NamedLists(Map.of("ips", List.of("10.0.0.0/8", "::1"), "names", List.of("a", "é")), Map.of());
        SimpleRequestFacts[] requests = requests(rnd);
        int compiled = 0;
        long deadline = System.nanoTime() + 6_000_000_000L;
        for (int n = 0; n < 4000 && System.nanoTime() < deadline; n++) {
            String expr = condition(rnd, 0);
            RuleExpression e;
            try {
                e = RuleExpression.compile(expr, lists);
            } catch (RuleSyntaxException ex) {
                assertThat(ex.line()).isPositive();
                assertThat(ex.column()).isPositive();
                continue;
            } catch (Throwable t) {
                fail("compiling " + expr + " threw " + t, t);
                return;
            }
            compiled++;
            for (SimpleRequestFacts r : requests) {
                try {
                    e.matches(r);
                } catch (Throwable t) {
                    fail("evaluating " + expr + " threw " + t, t);
                }
            }
        }
        assertThat(compiled).isGreaterThan(1000);
    }

    private static String condition(Random rnd, int depth) {
        int k = rnd.nextInt(depth > 3 ? 6 : 10);
        return switch (k) {
            case 0 -> str(rnd, depth) + " " + pick(rnd, "eq", "ne", "==", "!=", "contains") + " " + str(rnd, depth);
            case 1 -> str(rnd, depth) + " " + pick(rnd, "matches", "~", "wildcard") + " " + pick(rnd, PATTERNS);
            case 2 -> str(rnd, depth) + " in " + pick(rnd, "{\"a\" \"é\"}", "{\"\"}", "$names");
            case 3 -> num(rnd, depth) + " " + pick(rnd, "eq", "ne", "lt", "le", "gt", "ge", "<", ">=") + " " + num(rnd, depth);
            case 4 -> "ip.src " + pick(rnd, "in {10.0.0.0/8 2001:db8::/32}", "in $ips", "eq 127.0.0.1", "ne ::1", "in {0.0.0.0/0}");
            case 5 -> pick(rnd, "ssl", "bulwark.zone.under_attack", "true", "false",
                    "starts_with(" + str(rnd, depth + 1) + ", " + str(rnd, depth + 1) + ")",
                    "ends_with(" + str(rnd, depth + 1) + ", " + str(rnd, depth + 1) + ")");
            case 6 -> "not " + condition(rnd, depth + 1);
            case 7 -> "(" + condition(rnd, depth + 1) + ")";
            case 8 -> condition(rnd, depth + 1) + pick(rnd, " and ", " && ") + condition(rnd, depth + 1);
            default -> condition(rnd, depth + 1) + pick(rnd, " or ", " || ") + condition(rnd, depth + 1);
        };
    }

    private static String str(Random rnd, int depth) {
        int k = rnd.nextInt(depth > 3 ? 2 : 4);
        return switch (k) {
            case 0 -> pick(rnd, STRING_FIELDS);
            case 1 -> pick(rnd, STRING_LITERALS);
            default -> pick(rnd, "lower", "upper", "url_decode") + "(" + str(rnd, depth + 1) + ")";
        };
    }

    private static String num(Random rnd, int depth) {
        return switch (rnd.nextInt(3)) {
            case 0 -> "bulwark.clearance.level";
            case 1 -> String.valueOf(rnd.nextInt(5));
            default -> "len(" + str(rnd, depth + 1) + ")";
        };
    }

    private static SimpleRequestFacts[] requests(Random rnd) throws Exception {
        return new SimpleRequestFacts[]{
                new SimpleRequestFacts(),
                new SimpleRequestFacts().uri(""),
                new SimpleRequestFacts().client(InetAddress.getByName("10.9.8.7")).host("a").method("GET").uri("/x?q=%41%ZZ&q=2")
                        .header("X-A", "é😀").header("Cookie", "s=1; s=2").header("Cookie", "t=\"3\"").header("User-Agent", "K\u212A"),
                new SimpleRequestFacts().client(InetAddress.getByName("::1")).uri("/%E2%9C%93.PHP?q=%F0%9F%98&x").tls(true)
                        .zone("z", true).clearance(3, "c").header("Referer", "").header("User-Agent", "İstanbul"),
                new SimpleRequestFacts().uri("/a?" + "q=a+b&".repeat(50)).header("Cookie", ";;=;s").header("X-A", "%"),
        };
    }

    private static String pick(Random rnd, String... options) { return options[rnd.nextInt(options.length)]; }
}
