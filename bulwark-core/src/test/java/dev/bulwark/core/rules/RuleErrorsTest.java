package dev.bulwark.core.rules;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RuleErrorsTest {
    private static RuleSyntaxException error(String expr) {
        RuleSyntaxException e = catchThrowableOfType(RuleSyntaxException.class, () -> RuleExpression.compile(expr,
                new NamedLists(Map.of("ips", List.of("10.0.0.0/8"), "mixed", List.of("10.0.0.0/8", "not-an-ip")), Map.of())));
        assertThat(e).as("expected a RuleSyntaxException for: " + expr).isNotNull();
        return e;
    }

    private static void at(String expr, int line, int column, String reasonPart) {
        RuleSyntaxException e = error(expr);
        assertThat(e.reason()).as(expr).contains(reasonPart);
        assertThat(e.line()).as("line of " + e.getMessage()).isEqualTo(line);
        assertThat(e.column()).as("column of " + e.getMessage()).isEqualTo(column);
        assertThat(e.getMessage()).endsWith(" at " + line + ":" + column);
    }

    @Test
    void syntaxErrorsSayWhatWasExpectedAndWhere() {
        at("http.host eq \"a\" and ", 1, 22, "expected a field, string, number or '('");
        at("http.host eq \"a\" and )", 1, 22, "expected a field, string, number or '(', got ')'");
        at("(ssl", 1, 5, "expected ')'");
        at("http.host eq \"abc", 1, 14, "unterminated string");
        at("http.host = \"a\"", 1, 11, "'=='");
        at("http.host eq \"a\" ssl", 1, 18, "expected 'and', 'or'");
        at("", 1, 1, "expected an expression");
        at("http.host eq \"a\" and\n  http.host eq", 2, 15, "expected a field");
        at("ip.src in 10.0.0.0/8", 1, 11, "expected '{' or a $list");
        at("http.host in {}", 1, 15, "at least one value");
        at("http.host eq \"\\q\"", 1, 15, "unknown escape");
        at("http.host eq \"a\" # comment", 1, 18, "unexpected character '#'");
        at("ssl and $ips", 1, 9, "a $list can only follow 'in'");
        at("bulwark.clearance.level eq 1 eq 1", 1, 30, "cannot be chained");
        at("lower()", 1, 7, "expected an argument");
        at("http.host eq 12abc", 1, 14, "expected a number");
    }

    @Test
    void typeErrorsAtCompileTime() {
        at("http.host", 1, 1, "must be a condition");
        at("http.host eq 3", 1, 14, "cannot compare string with int");
        at("bulwark.clearance.level eq \"2\"", 1, 28, "cannot compare int with string");
        at("http.host lt \"b\"", 1, 11, "lt compares numbers");
        at("bulwark.clearance.level contains 1", 1, 25, "contains needs string operands");
        at("ssl and http.host", 1, 9, "'and' needs a condition");
        at("not http.host", 1, 5, "'not' needs a condition");
        at("http.host in {\"a\" 10.0.0.0/8}", 1, 19, "holds an IP range");
        at("ip.src in {\"10.0.0.1\"}", 1, 12, "holds a string");
        at("ip.src contains \"1\"", 1, 8, "an ip can be compared with eq, ne or in");
        at("ip.src eq \"1.2.3.4\"", 1, 11, "expected an IP address or CIDR range");
        at("http.host eq 10.0.0.1", 1, 14, "IP literal can only be compared with ip.src");
        at("10.0.0.1 in $ips", 1, 1, "put the field first");
        at("10.0.0.1 in {10.0.0.0/8}", 1, 1, "put the field first");
        at("10.0.0.1 eq ip.src", 1, 1, "put the field first");
        at("len(bulwark.clearance.level) eq 1", 1, 5, "len() needs a string");
        at("lower(http.host, http.host) eq \"a\"", 1, 18, "takes 1 argument");
        at("starts_with(http.host) ", 1, 1, "takes 2 arguments");
        at("http.user_agent matches http.host", 1, 25, "needs a quoted regex");
        at("ssl in {1}", 1, 1, "'in' needs a string, number or ip");
        at("bulwark.clearance.level in $ips", 1, 28, "lists hold strings or IP ranges");
        at("bulwark.clearance.level in {5..1}", 1, 32, "is empty");
        at("http.host in {1..\"a\"}", 1, 16, "ranges '..' join two numbers");
    }

    @Test
    void unknownNamesSuggestTheClosestField() {
        at("http.hots eq \"a\"", 1, 1, "unknown field 'http.hots' (did you mean 'http.host'?)");
        at("ssl and http.request.metod eq \"GET\"", 1, 9, "did you mean 'http.request.method'");
        at("frobnicate(http.host)", 1, 1, "unknown function 'frobnicate'");
        at("ip.src in $nope", 1, 11, "unknown list $nope (defined: $ips, $mixed)");
        at("ip.src in $mixed", 1, 11, "list $mixed: entry 2");
        at("http.request.headers eq \"a\"", 1, 21, "needs a name: http.request.headers[\"name\"]");
        at("http.host[\"a\"] eq \"a\"", 1, 11, "takes no [\"name\"]");
        at("http.request.headers[host] eq \"a\"", 1, 22, "expected a quoted name");
    }

    @Test
    void badRegexesAndAddressesPointAtTheLiteral() {
        at("http.user_agent matches \"(unclosed\"", 1, 25, "invalid regex");
        at("http.user_agent matches \"(?<=x)y\"", 1, 25, "invalid regex");
        at("ip.src in {10.0.0.0/33}", 1, 12, "prefix length");
        at("ip.src in {300.1.1.1}", 1, 12, "not an IP address");
        at("ip.src eq 1:2:3:4:5:6:7:8:9", 1, 11, "not an IP address");
        at("bulwark.clearance.level eq 99999999999999999999", 1, 28, "too large");
    }

    @Test
    void expressionsOver4096CharactersAreRefused() {
        String ok = "http.host eq \"" + "a".repeat(4096 - 15) + "\"";
        assertThat(ok).hasSize(4096);
        assertThat(RuleExpression.compile(ok).text()).isEqualTo(ok);
        at(ok + " ", 1, 4097, "the limit is 4096");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        at("(".repeat(100) + "ssl" + ")".repeat(100), 1, 65, "nests deeper than 64");
        RuleSyntaxException e = error("not ".repeat(1000) + "ssl");
        assertThat(e.reason()).contains("nests deeper");
        assertThat(RuleExpression.compile("(".repeat(60) + "ssl" + ")".repeat(60)).matches(new dev.bulwark.core.request.SimpleRequestFacts().tls(true))).isTrue();
    }

    @Test
    void nullExpressionIsAPositionedError() {
        assertThatThrownBy(() -> RuleExpression.compile(null)).isInstanceOf(RuleSyntaxException.class).hasMessage("expression is required at 1:1");
    }
}
