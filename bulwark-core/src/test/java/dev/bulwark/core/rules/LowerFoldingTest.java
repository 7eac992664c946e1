package dev.bulwark.core.rules;

import dev.bulwark.core.request.SimpleRequestFacts;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-place lower() rewrite must give exactly what lower() followed by the operator gives. */
class LowerFoldingTest {
    private static final String[] SHAPES = {
            "lower(http.user_agent) eq \"%s\"", "lower(http.user_agent) ne \"%s\"", "lower(http.user_agent) contains \"%s\"",
            "starts_with(lower(http.user_agent), \"%s\")", "ends_with(lower(http.user_agent), \"%s\")"};

    @Test
    void agreesWithLowerThenCompare() {
        Random rnd = new Random(12);
        String alphabet = "abBKk\u0130\u212A\u00C9\u00E9i\u0307 ";
        for (int n = 0; n < 3000; n++) {
            String needle = random(rnd, "abki ", 1, 3);
            String ua = random(rnd, alphabet, 0, 6);
            String lowered = ua.toLowerCase(Locale.ROOT);
            boolean[] expected = {lowered.equals(needle), !lowered.equals(needle), lowered.contains(needle),
                    lowered.startsWith(needle), lowered.endsWith(needle)};
            SimpleRequestFacts r = new SimpleRequestFacts().header("User-Agent", ua);
            for (int k = 0; k < SHAPES.length; k++) {
                String expr = String.format(SHAPES[k], needle);
                assertThat(RuleExpression.compile(expr).matches(r)).as(expr + " on " + ua).isEqualTo(expected[k]);
            }
        }
    }

    @Test
    void onlyAsciiLowerCaseLiteralsAreRewritten() {
        assertThat(LowerFolding.of("eq", call(), lit("abc"), (a, w) -> r -> "")).isNotNull();
        assertThat(LowerFolding.of("eq", call(), lit("Abc"), (a, w) -> r -> "")).isNull();
        assertThat(LowerFolding.of("eq", call(), lit("é"), (a, w) -> r -> "")).isNull();
        assertThat(LowerFolding.of("matches", call(), lit("abc"), (a, w) -> r -> "")).isNull();
    }

    private static Ast call() {
        return new Ast.Call(0, "lower", java.util.List.of(new Ast.Field(6, "http.host", null)));
    }

    private static Ast lit(String s) { return new Ast.Literal(20, Token.Kind.STRING, s); }

    private static String random(Random rnd, String alphabet, int min, int max) {
        StringBuilder sb = new StringBuilder();
        int len = min + rnd.nextInt(max - min + 1);
        for (int i = 0; i < len; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return sb.toString();
    }
}
