package dev.bulwark.core.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RegexPrefilterTest {
    @Test
    void derivesTheLiteralsAMatchNeeds() {
        assertThat(RegexPrefilter.of("(?i)(sqlmap|nikto|havij)").literals()).containsExactlyInAnyOrder("sqlmap", "nikto", "havij");
        assertThat(RegexPrefilter.of("(?i)union[ +]+select").literals()).containsExactly("select");
        assertThat(RegexPrefilter.of("^/wp-(admin|login)\\.php$").literals()).containsExactlyInAnyOrder("admin", "login");
        assertThat(RegexPrefilter.of("ab+c").literals()).containsExactly("ab");
        assertThat(RegexPrefilter.of("(?:x|yy)zzz").literals()).containsExactly("zzz");
    }

    @Test
    void givesUpWhenUnsure() {
        assertThat(RegexPrefilter.of("a?")).isNull();
        assertThat(RegexPrefilter.of("(a|)")).isNull();
        assertThat(RegexPrefilter.of(".*")).isNull();
        assertThat(RegexPrefilter.of("\\123abc")).isNull();
        assertThat(RegexPrefilter.of("\\Qa|b\\E")).isNull();
        assertThat(RegexPrefilter.of("(?P<n>abc)")).isNull();
        assertThat(RegexPrefilter.of("ab(?i)cd")).isNull();
        assertThat(RegexPrefilter.of("(?i)é")).isNull();
    }

    @Test
    void rejectsOnlyValuesTheRegexCannotMatch() {
        RegexPrefilter p = RegexPrefilter.of("(?i)(sqlmap|nikto)");
        assertThat(p.mayMatch("Mozilla/5.0")).isFalse();
        assertThat(p.mayMatch("SQLMap/1.7")).isTrue();
        assertThat(p.mayMatch("x-NiKtO")).isTrue();
        assertThat(RegexPrefilter.of("(?i)kk").mayMatch("\u212Ak")).isTrue(); // Kelvin sign folds to k, as in RE2
        assertThat(RegexPrefilter.of("select").mayMatch("SELECT")).isFalse();
    }

    /** Property: whenever RE2/J finds a match, the prefilter must let the value through. */
    @Test
    void neverRejectsAValueTheRegexMatches() {
        Random rnd = new Random(99);
        int checked = 0, withPrefilter = 0;
        long deadline = System.nanoTime() + 6_000_000_000L;
        for (int n = 0; n < 2000 && System.nanoTime() < deadline; n++) {
            String regex = (rnd.nextInt(3) == 0 ? "(?i)" : "") + regex(rnd, 0);
            Pattern p;
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                continue;
            }
            RegexPrefilter pre = RegexPrefilter.of(regex);
            if (pre != null) withPrefilter++;
            for (int k = 0; k < 20; k++) {
                String value = value(rnd);
                if (p.matcher(value).find()) {
                    checked++;
                    assertThat(pre == null || pre.mayMatch(value)).as(regex + " matches " + value).isTrue();
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
        assertThat(withPrefilter).isGreaterThan(250);
    }

    private static final String[] ATOMS = {"a", "b", "A", "k", "\\.", ".", "[ab]", "[^a]", "\\d", "\\w", "^", "$", "\\b", "-", " ", "\\123", "\\x61", "\\Qa|\\E"};
    private static final String[] QUANTIFIERS = {"", "", "", "?", "*", "+", "{1,2}", "{0,1}", "{2}", "??", "+?"};

    private static String regex(Random rnd, int depth) {
        StringBuilder sb = new StringBuilder();
        int items = 1 + rnd.nextInt(4);
        for (int i = 0; i < items; i++) {
            int k = rnd.nextInt(10);
            if (k < 2 && depth < 3) {
                String open = rnd.nextBoolean() ? "(" : "(?:";
                sb.append(open).append(regex(rnd, depth + 1));
                if (rnd.nextBoolean()) sb.append('|').append(rnd.nextInt(4) == 0 ? "" : regex(rnd, depth + 1));
                sb.append(')');
            } else {
                sb.append(ATOMS[rnd.nextInt(ATOMS.length)]);
            }
            sb.append(QUANTIFIERS[rnd.nextInt(QUANTIFIERS.length)]);
        }
        if (rnd.nextInt(5) == 0) sb.append('|').append(regex(rnd, depth + 1));
        return sb.toString();
    }

    private static String value(Random rnd) {
        String alphabet = "abAB.k-  1S\u212A";
        StringBuilder sb = new StringBuilder();
        int len = rnd.nextInt(8);
        for (int i = 0; i < len; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return sb.toString();
    }
}
