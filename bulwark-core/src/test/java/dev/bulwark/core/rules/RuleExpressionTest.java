package dev.bulwark.core.rules;

import dev.bulwark.core.request.SimpleRequestFacts;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RuleExpressionTest {
    private static SimpleRequestFacts req() throws Exception {
        return new SimpleRequestFacts().client(InetAddress.getByName("203.0.113.9")).host("shop.example.com")
                .method("POST").uri("/wp-login.php?user=admin&next=%2Fhome%20page&q=a+b&empty=&flag")
                .header("User-Agent", "curl/8.4.0").header("Referer", "https://evil.example/")
                .header("Cookie", "session=abc123; theme=\"dark\"").header("X-Api-Key", "k1").header("X-Api-Key", "k2")
                .tls(true).zone("shop", false).clearance(2, "cl-77");
    }

    private static boolean m(String expr) throws Exception { return m(expr, req()); }

    private static boolean m(String expr, SimpleRequestFacts r) {
        return RuleExpression.compile(expr, new NamedLists(Map.of("office", List.of("198.51.100.0/24", "203.0.113.0/28"),
                "bad_agents", List.of("curl/8.4.0", "sqlmap"), "office-v6", List.of("2001:db8::/32")), Map.of("office", List.of("10.0.0.0/8"), "global_only", List.of("x")))).matches(r);
    }

    @Test
    void everyPlainField() throws Exception {
        assertThat(m("ip.src eq 203.0.113.9")).isTrue();
        assertThat(m("http.host eq \"shop.example.com\"")).isTrue();
        assertThat(m("http.request.method eq \"POST\"")).isTrue();
        assertThat(m("http.request.uri eq \"/wp-login.php?user=admin&next=%2Fhome%20page&q=a+b&empty=&flag\"")).isTrue();
        assertThat(m("http.request.uri.path eq \"/wp-login.php\"")).isTrue();
        assertThat(m("http.request.uri.path.extension eq \"php\"")).isTrue();
        assertThat(m("http.request.uri.query contains \"user=admin\"")).isTrue();
        assertThat(m("http.cookie eq \"session=abc123; theme=\\\"dark\\\"\"")).isTrue();
        assertThat(m("http.user_agent eq \"curl/8.4.0\"")).isTrue();
        assertThat(m("http.referer eq \"https://evil.example/\"")).isTrue();
        assertThat(m("http.request.version eq \"HTTP/1.1\"")).isTrue();
        assertThat(m("ssl")).isTrue();
        assertThat(m("bulwark.zone.id eq \"shop\"")).isTrue();
        assertThat(m("bulwark.zone.under_attack")).isFalse();
        assertThat(m("bulwark.clearance.level eq 2")).isTrue();
        assertThat(m("bulwark.clearance.id eq \"cl-77\"")).isTrue();
        assertThat(m("http.x_forwarded_for eq \"\"")).isTrue();
    }

    @Test
    void keyedFields() throws Exception {
        assertThat(m("http.request.headers[\"x-api-key\"] eq \"k1\"")).isTrue();
        assertThat(m("http.request.headers[\"X-API-KEY\"] eq \"k1\"")).isTrue();
        assertThat(m("http.request.headers[\"missing\"] eq \"\"")).isTrue();
        assertThat(m("http.request.uri.args[\"user\"] eq \"admin\"")).isTrue();
        assertThat(m("http.request.uri.args[\"next\"] eq \"/home page\"")).isTrue();
        assertThat(m("http.request.uri.args[\"q\"] eq \"a b\"")).isTrue();
        assertThat(m("http.request.uri.args[\"empty\"] eq \"\"")).isTrue();
        assertThat(m("http.request.uri.args[\"flag\"] eq \"\"")).isTrue();
        assertThat(m("http.request.uri.args[\"nope\"] eq \"\"")).isTrue();
        assertThat(m("http.request.cookies[\"session\"] eq \"abc123\"")).isTrue();
        assertThat(m("http.request.cookies[\"theme\"] eq \"dark\"")).isTrue();
        assertThat(m("http.request.cookies[\"sess\"] eq \"\"")).isTrue();
    }

    @Test
    void cookiesSplitOverSeveralHeadersAsHttp2SendsThem() throws Exception {
        SimpleRequestFacts r = req();
        r.header("cookie", "late=1");
        assertThat(m("http.request.cookies[\"late\"] eq \"1\"", r)).isTrue();
        assertThat(m("http.cookie eq \"session=abc123; theme=\\\"dark\\\"; late=1\"", r)).isTrue();
    }

    @Test
    void everyOperatorInWordsAndSymbols() throws Exception {
        assertThat(m("http.request.method == \"POST\" && http.request.method != \"GET\"")).isTrue();
        assertThat(m("http.request.method ne \"POST\"")).isFalse();
        assertThat(m("bulwark.clearance.level lt 3 and bulwark.clearance.level le 2")).isTrue();
        assertThat(m("bulwark.clearance.level < 2 || bulwark.clearance.level > 2")).isFalse();
        assertThat(m("bulwark.clearance.level gt 1 and bulwark.clearance.level ge 2 and bulwark.clearance.level >= 2 and bulwark.clearance.level <= 2")).isTrue();
        assertThat(m("http.user_agent contains \"curl\"")).isTrue();
        assertThat(m("http.user_agent contains \"\"")).isTrue();
        assertThat(m("http.user_agent matches \"^curl/[0-9.]+$\"")).isTrue();
        assertThat(m("http.user_agent ~ r\"^curl/\\d+\"")).isTrue();
        assertThat(m("http.user_agent matches \"wget\"")).isFalse();
        assertThat(m("http.request.uri.path wildcard \"/WP-*.php\"")).isTrue();
        assertThat(m("http.request.uri.path wildcard \"/wp-*\"")).isTrue();
        assertThat(m("http.request.uri.path wildcard \"wp-*\"")).isFalse();
        assertThat(m("http.request.uri.path wildcard \"/wp-login.ph\"")).isFalse();
        assertThat(m("http.request.uri.path wildcard \"/wp?login.php\"")).isFalse();
        assertThat(m("http.request.method in {\"PUT\" \"POST\"}")).isTrue();
        assertThat(m("http.request.method in {\"PUT\", \"DELETE\"}")).isFalse();
        assertThat(m("bulwark.clearance.level in {0 5..9}")).isFalse();
        assertThat(m("bulwark.clearance.level in {0, 1..3}")).isTrue();
        assertThat(m("ssl eq true and not (ssl eq false) and !bulwark.zone.under_attack")).isTrue();
    }

    @Test
    void wildcardEscapesAreLiteral() throws Exception {
        SimpleRequestFacts r = req().uri("/a*b\\c");
        assertThat(m("http.request.uri.path wildcard r\"/a\\*b\\\\c\"", r)).isTrue();
        assertThat(m("http.request.uri.path wildcard r\"/a\\*x*\"", r)).isFalse();
        assertThat(m("http.request.uri.path wildcard \"/a.b*\"", req().uri("/axb"))).isFalse();
    }

    @Test
    void ipComparisonsSetsAndLists() throws Exception {
        assertThat(m("ip.src in {10.0.0.0/8 203.0.113.0/24}")).isTrue();
        assertThat(m("ip.src in {10.0.0.0/8, 2001:db8::/32}")).isFalse();
        assertThat(m("ip.src eq 203.0.113.0/24")).isTrue();
        assertThat(m("ip.src ne 203.0.113.9")).isFalse();
        assertThat(m("ip.src in $office")).isTrue(); // the zone's $office shadows the global one
        assertThat(m("ip.src in $office", req().client(InetAddress.getByName("10.1.1.1")))).isFalse();
        assertThat(m("http.user_agent in $bad_agents")).isTrue();
        assertThat(m("ip.src in $office-v6", req().client(InetAddress.getByName("2001:db8::1")))).isTrue();
        assertThat(m("http.host in $global_only")).isFalse();
        assertThat(m("ip.src in {2001:db8::/32}", req().client(InetAddress.getByName("2001:db8::5")))).isTrue();
        assertThat(m("ip.src in {fe80::/10}", req().client(InetAddress.getByName("fe80::1")))).isTrue();
        assertThat(m("ip.src in {::1}", req().client(InetAddress.getByName("::1")))).isTrue();
        assertThat(m("ip.src in {0.0.0.0/0 ::/0}", req().client(null))).isFalse();
    }

    @Test
    void everyFunction() throws Exception {
        assertThat(m("lower(http.request.method) eq \"post\"")).isTrue();
        assertThat(m("upper(http.host) eq \"SHOP.EXAMPLE.COM\"")).isTrue();
        assertThat(m("len(http.request.method) eq 4")).isTrue();
        assertThat(m("len(http.x_forwarded_for) == 0")).isTrue();
        assertThat(m("starts_with(http.request.uri.path, \"/wp-\")")).isTrue();
        assertThat(m("ends_with(http.request.uri.path, \".php\")")).isTrue();
        assertThat(m("ends_with(http.request.uri.path, \".asp\")")).isFalse();
        assertThat(m("url_decode(http.request.uri.query) contains \"next=/home page\"")).isTrue();
        assertThat(m("lower(url_decode(http.request.uri.args[\"user\"])) in {\"admin\" \"root\"}")).isTrue();
        assertThat(m("starts_with(lower(http.user_agent), lower(\"CURL\"))")).isTrue();
    }

    @Test
    void unicodeAndPercentEncoding() throws Exception {
        SimpleRequestFacts r = req().uri("/caf%C3%A9/%E2%9C%93?name=J%C3%BCrgen&bad=%ZZ%e").header("X-Name", "Zoë 😀");
        assertThat(m("url_decode(http.request.uri.path) eq \"/café/✓\"", r)).isTrue();
        assertThat(m("http.request.uri.args[\"name\"] eq \"Jürgen\"", r)).isTrue();
        assertThat(m("http.request.uri.args[\"bad\"] eq \"%ZZ%e\"", r)).isTrue();
        assertThat(m("http.request.headers[\"x-name\"] eq \"Zoë 😀\"", r)).isTrue();
        assertThat(m("len(http.request.headers[\"x-name\"]) eq 9", r)).isTrue(); // UTF-8 bytes: Z o ë(2) space 😀(4)
        assertThat(m("upper(http.request.headers[\"x-name\"]) eq \"ZOË 😀\"", r)).isTrue();
        assertThat(m("http.request.headers[\"x-name\"] matches \"^Zo. .$\"", r)).isTrue(); // RE2 works on code points
        assertThat(m("http.request.headers[\"x-name\"] wildcard \"zoË *\"", r)).isTrue();
        assertThat(m("url_decode(\"%f0%9f%98%80+%2B\") eq \"😀 +\"", r)).isTrue();
        assertThat(m("url_decode(\"%F0%9F%98%80\") eq \"😀\"", r)).isTrue();
        assertThat(m("url_decode(\"%C3\") eq \"\uFFFD\"", r)).isTrue(); // invalid UTF-8 becomes U+FFFD
    }

    @Test
    void emptyValues() throws Exception {
        SimpleRequestFacts empty = new SimpleRequestFacts().uri("");
        assertThat(m("http.host eq \"\"", empty)).isTrue();
        assertThat(m("http.user_agent eq \"\" and http.referer eq \"\" and http.cookie eq \"\"", empty)).isTrue();
        assertThat(m("http.request.uri.path.extension eq \"\"", empty)).isTrue();
        assertThat(m("len(http.request.uri.query) eq 0", empty)).isTrue();
        assertThat(m("http.request.uri.args[\"a\"] eq \"\"", empty)).isTrue();
        assertThat(m("http.request.cookies[\"a\"] eq \"\"", empty)).isTrue();
        assertThat(m("bulwark.clearance.id eq \"\" and bulwark.clearance.level eq 0 and bulwark.zone.id eq \"\"", empty)).isTrue();
        assertThat(m("ip.src in {0.0.0.0/0}", empty)).isFalse();
        assertThat(m("http.user_agent matches \"^$\"", empty)).isTrue();
        assertThat(m("http.user_agent wildcard \"*\"", empty)).isTrue();
    }

    @Test
    void precedenceNotBindsTighterThanAndThanOr() throws Exception {
        assertThat(m("ssl or ssl and not ssl")).isTrue();           // ssl or (ssl and (not ssl))
        assertThat(m("(ssl or ssl) and not ssl")).isFalse();
        assertThat(m("not ssl or ssl")).isTrue();
        assertThat(m("not not ssl")).isTrue();
        assertThat(m("not http.host eq \"x\"")).isTrue();            // not binds the comparison
        assertThat(m("ssl and ssl and ssl and not ssl")).isFalse();
        assertThat(m("not ssl or not ssl or not ssl or ssl")).isTrue();
    }

    @Test
    void multiLineExpressionsAndExtraWhitespace() throws Exception {
        assertThat(m("http.request.method eq \"POST\"\n  and\n\thttp.request.uri.path eq \"/wp-login.php\"\n")).isTrue();
    }

    @Test
    void reportsTheFieldsItReads() {
        RuleExpression e = RuleExpression.compile("ip.src in {10.0.0.0/8} and lower(http.user_agent) contains \"bot\"");
        assertThat(e.fields()).containsExactlyInAnyOrder("ip.src", "http.user_agent");
        assertThat(RuleExpression.knownFields()).contains("http.request.uri.args", "bulwark.clearance.level");
    }

    @Test
    void documentedExamplesWork() throws Exception {
        assertThat(m("http.request.uri.path matches r\"^/api/v\\d+/\"", req().uri("/api/v2/users"))).isTrue();
        assertThat(m("bulwark.clearance.level in {80 443 8000..8999}", req().clearance(8080, "x"))).isTrue();
        assertThat(m("bulwark.clearance.level in {80 443 8000..8999}", req().clearance(9000, "x"))).isFalse();
        assertThat(m("http.request.method in {\"GET\" \"HEAD\"}", req().method("HEAD"))).isTrue();
        assertThat(m("http.referer eq \"\"", new SimpleRequestFacts())).isTrue();
        RuleSyntaxException e = org.assertj.core.api.Assertions.catchThrowableOfType(RuleSyntaxException.class,
                () -> RuleExpression.compile("http.user_agent matches \"(a\""));
        assertThat(e.getMessage()).startsWith("invalid regex: ").endsWith(" at 1:25");
    }

    /** and/or terms run cheapest first; the result must not depend on the order they were written in. */
    @Test
    void reorderingTermsKeepsTheMeaning() throws Exception {
        String expensive = "lower(http.user_agent) matches \"curl\"";
        String cheap = "http.request.method eq \"POST\"";
        for (String a : new String[]{expensive, cheap}) {
            String b = a.equals(expensive) ? cheap : expensive;
            assertThat(m(a + " and " + b)).isTrue();
            assertThat(m(a + " and not " + b)).isFalse();
            assertThat(m("not " + a + " or " + b)).isTrue();
            assertThat(m("not " + a + " or not " + b)).isFalse();
            assertThat(m(a + " and " + b, req().method("GET"))).isFalse();
            assertThat(m(a + " or " + b, req().method("GET").header("User-Agent", "x"))).isTrue(); // first UA still curl
        }
    }
}
