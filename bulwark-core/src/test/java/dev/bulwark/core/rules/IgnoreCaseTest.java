package dev.bulwark.core.rules;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IgnoreCaseTest {
    /** Reference: the JDK's per-character comparison at every position. */
    private static int reference(String value, String needle, int from, int limit) {
        for (int i = from; i <= limit - needle.length(); i++) if (value.regionMatches(true, i, needle, 0, needle.length())) return i;
        return -1;
    }

    @Test
    void asciiFastPathAgreesWithTheJdk() {
        Random rnd = new Random(8);
        String alphabet = "abcKkSs\u212A\u017F\u00C5\u00E5-";
        for (int n = 0; n < 50_000; n++) {
            String value = random(rnd, alphabet, 10);
            String needle = random(rnd, "abcks-", 3).toLowerCase();
            int expected = reference(value, needle, 0, value.length());
            assertThat(IgnoreCase.indexOf(value, needle, 0, value.length(), true)).as(value + " / " + needle).isEqualTo(expected);
            assertThat(IgnoreCase.indexOf(value, needle, 0, value.length(), false)).isEqualTo(expected);
        }
        assertThat(IgnoreCase.indexOf("xx\u212Ay", "ky", 0, 4, true)).isEqualTo(2); // Kelvin sign folds to k
        assertThat(IgnoreCase.matchesAt("ABC", 1, "bc")).isTrue();
        assertThat(IgnoreCase.matchesAt("ABC", 2, "cd")).isFalse();
    }

    private static String random(Random rnd, String alphabet, int max) {
        StringBuilder sb = new StringBuilder();
        int len = rnd.nextInt(max + 1);
        for (int i = 0; i < len; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return sb.toString();
    }
}
