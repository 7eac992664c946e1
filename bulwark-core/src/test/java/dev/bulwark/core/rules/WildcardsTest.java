package dev.bulwark.core.rules;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class WildcardsTest {
    @Test
    void starsAnchorsAndCase() {
        assertThat(Wildcards.compile("*.example.com").matches("WWW.Example.com")).isTrue();
        assertThat(Wildcards.compile("*.example.com").matches("example.com")).isFalse();
        assertThat(Wildcards.compile("/a*b*c").matches("/abc")).isTrue();
        assertThat(Wildcards.compile("/a*b*c").matches("/a-b-b-c")).isTrue();
        assertThat(Wildcards.compile("/a*b*c").matches("/a-c-b")).isFalse();
        assertThat(Wildcards.compile("a*a").matches("a")).isFalse();
        assertThat(Wildcards.compile("a*a").matches("aa")).isTrue();
        assertThat(Wildcards.compile("*").matches("")).isTrue();
        assertThat(Wildcards.compile("**").matches("x")).isTrue();
        assertThat(Wildcards.compile("").matches("")).isTrue();
        assertThat(Wildcards.compile("").matches("a")).isFalse();
        assertThat(Wildcards.compile("x").matches("X")).isTrue();
        assertThat(Wildcards.compile("a\\*").matches("a*")).isTrue();
        assertThat(Wildcards.compile("a\\*").matches("ab")).isFalse();
        assertThat(Wildcards.compile("a\\\\*").matches("a\\zz")).isTrue();
        assertThat(Wildcards.compile("ÄÖ*").matches("äö!")).isTrue();
    }

    /** The hand-written matcher must agree with the equivalent RE2 regex on random inputs. */
    @Test
    void agreesWithRegexSemantics() {
        Random rnd = new Random(3);
        String alphabet = "abAB*";
        for (int n = 0; n < 20_000; n++) {
            String pattern = random(rnd, alphabet, 6);
            String value = random(rnd, "abAB", 8);
            StringBuilder re = new StringBuilder();
            for (char c : pattern.toCharArray()) re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
            boolean expected = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matches(value);
            assertThat(Wildcards.compile(pattern).matches(value)).as(pattern + " vs " + value).isEqualTo(expected);
        }
    }

    private static String random(Random rnd, String alphabet, int max) {
        StringBuilder sb = new StringBuilder();
        int len = rnd.nextInt(max + 1);
        for (int i = 0; i < len; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return sb.toString();
    }
}
