package dev.bulwark.core.rules;

import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.FirewallRuleConfig.Action;
import dev.bulwark.core.config.FirewallRuleConfig.Mode;
import dev.bulwark.core.request.SimpleRequestFacts;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CompiledRulesTest {
    private static FirewallRuleConfig rule(String id, String expr, Action action) {
        return new FirewallRuleConfig(id, null, expr, action, null, null);
    }

    private static FirewallRuleConfig logOnly(String id, String expr, Action action) {
        return new FirewallRuleConfig(id, null, expr, action, null, Mode.LOG);
    }

    private static FirewallRuleConfig skip(String id, String expr, String... phases) {
        return new FirewallRuleConfig(id, null, expr, Action.SKIP, List.of(phases), null);
    }

    private static final List<FirewallRuleConfig> ZONE_RULES = List.of(
            rule("office-allow", "ip.src in $office", Action.ALLOW),
            skip("monitoring", "http.request.uri.path eq \"/healthz\"", "ratelimit", "challenge"),
            logOnly("shadow-bots", "lower(http.user_agent) contains \"bot\"", Action.BLOCK),
            rule("note-admin", "starts_with(http.request.uri.path, \"/admin\")", Action.LOG),
            rule("wp-login", "http.request.method eq \"POST\" and http.request.uri.path eq \"/wp-login.php\"", Action.BLOCK),
            rule("scanners", "http.user_agent matches \"(?i)(sqlmap|nikto)\"", Action.BLOCK),
            rule("attack-mode", "bulwark.zone.under_attack and bulwark.clearance.level lt 1", Action.CHALLENGE),
            rule("bad-countries-list", "ip.src in $blocked", Action.BLOCK));

    private static CompiledRules rules() throws RulesException {
        return CompiledRules.compile(ZONE_RULES, Map.of("office", List.of("198.51.100.0/24")),
                Map.of("blocked", List.of("192.0.2.0/24", "2001:db8:bad::/48"), "office", List.of("0.0.0.0/0")));
    }

    private static SimpleRequestFacts get(String client, String uri) throws Exception {
        return new SimpleRequestFacts().client(InetAddress.getByName(client)).host("site.example").method("GET").uri(uri);
    }

    private static SimpleRequestFacts browser(String client, String uri) throws Exception {
        return get(client, uri).header("User-Agent", "Mozilla/5.0");
    }

    record Case(String name, SimpleRequestFacts request, Verdict.Outcome outcome, String ruleId, List<String> skipped, List<String> logged) {}

    @Test
    void requestsGetTheExpectedVerdicts() throws Exception {
        List<Case> table = List.of(
                new Case("plain visitor", browser("203.0.113.1", "/"), Verdict.Outcome.CONTINUE, null, List.of(), List.of()),
                new Case("office is allowed even when posting to wp-login",
                        get("198.51.100.20", "/wp-login.php").method("POST"), Verdict.Outcome.ALLOW, "office-allow", List.of(), List.of()),
                new Case("wp-login POST from outside", get("203.0.113.1", "/wp-login.php").method("POST"),
                        Verdict.Outcome.BLOCK, "wp-login", List.of(), List.of()),
                new Case("wp-login GET is fine", get("203.0.113.1", "/wp-login.php"), Verdict.Outcome.CONTINUE, null, List.of(), List.of()),
                new Case("scanner UA", get("203.0.113.1", "/").header("User-Agent", "SQLMap/1.7"), Verdict.Outcome.BLOCK, "scanners", List.of(), List.of()),
                new Case("health check skips phases and continues", get("203.0.113.1", "/healthz"),
                        Verdict.Outcome.CONTINUE, null, List.of("ratelimit", "challenge"), List.of()),
                new Case("log-only bot rule never blocks", get("203.0.113.1", "/").header("user-agent", "GoodBot"),
                        Verdict.Outcome.CONTINUE, null, List.of(), List.of("shadow-bots")),
                new Case("logged then blocked keeps the log", get("192.0.2.9", "/admin/x").header("user-agent", "bot"),
                        Verdict.Outcome.BLOCK, "bad-countries-list", List.of(), List.of("shadow-bots", "note-admin")),
                new Case("under attack without clearance", get("203.0.113.1", "/").zone("z", true), Verdict.Outcome.CHALLENGE,
                        "attack-mode", List.of(), List.of()),
                new Case("under attack with clearance", get("203.0.113.1", "/").zone("z", true).clearance(1, "c"),
                        Verdict.Outcome.CONTINUE, null, List.of(), List.of()),
                new Case("blocked IPv6 range", get("2001:db8:bad::1", "/"), Verdict.Outcome.BLOCK, "bad-countries-list", List.of(), List.of()),
                new Case("no client address", new SimpleRequestFacts().uri("/"), Verdict.Outcome.CONTINUE, null, List.of(), List.of()));
        CompiledRules rules = rules();
        for (Case c : table) {
            Verdict v = rules.evaluate(c.request());
            Verdict.Outcome expected = c.outcome();
            String expectedRule = c.ruleId();
            assertThat(v.outcome()).as(c.name()).isEqualTo(expected);
            assertThat(v.ruleId()).as(c.name()).isEqualTo(expectedRule);
            assertThat(v.skippedPhases()).as(c.name()).containsExactlyInAnyOrderElementsOf(c.skipped());
            assertThat(v.loggedRuleIds()).as(c.name()).containsExactlyElementsOf(c.logged());
            assertThat(v.terminates()).isEqualTo(expected != Verdict.Outcome.CONTINUE);
        }
    }

    @Test
    void nothingMatchedReusesTheSharedVerdictAndTerminatingRulesReuseTheirs() throws Exception {
        CompiledRules rules = rules();
        assertThat(rules.evaluate(get("203.0.113.1", "/"))).isSameAs(Verdict.NONE);
        Verdict a = rules.evaluate(get("192.0.2.1", "/"));
        Verdict b = rules.evaluate(get("192.0.2.2", "/"));
        assertThat(a).isSameAs(b);
        assertThat(a.toString()).isEqualTo("Verdict[block by bad-countries-list]");
    }

    @Test
    void everyRuleCountsItsMatchesIncludingLogOnlyRules() throws Exception {
        CompiledRules rules = rules();
        for (int i = 0; i < 3; i++) rules.evaluate(get("203.0.113.1", "/").header("user-agent", "bot"));
        rules.evaluate(get("192.0.2.1", "/"));
        Map<String, Long> counts = rules.matchCounts();
        assertThat(counts).containsEntry("shadow-bots", 3L).containsEntry("bad-countries-list", 1L).containsEntry("wp-login", 0L);
        assertThat(rules.rules().get(2).logsOnly()).isTrue();
        assertThat(rules.rules().get(4).matchCount()).isZero();
        assertThat(rules.size()).isEqualTo(ZONE_RULES.size());
    }

    @Test
    void logOnlyModeNeverChangesTheVerdict() throws Exception {
        CompiledRules enforce = CompiledRules.compile(List.of(rule("r", "ssl", Action.BLOCK)), Map.of(), Map.of());
        CompiledRules shadow = CompiledRules.compile(List.of(logOnly("r", "ssl", Action.BLOCK)), Map.of(), Map.of());
        SimpleRequestFacts tls = new SimpleRequestFacts().tls(true);
        assertThat(enforce.evaluate(tls).outcome()).isEqualTo(Verdict.Outcome.BLOCK);
        Verdict v = shadow.evaluate(tls);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.CONTINUE);
        assertThat(v.loggedRuleIds()).containsExactly("r");
        CompiledRules shadowSkip = CompiledRules.compile(List.of(new FirewallRuleConfig("s", null, "ssl", Action.SKIP,
                List.of("challenge"), Mode.LOG)), Map.of(), Map.of());
        assertThat(shadowSkip.evaluate(tls).skippedPhases()).isEmpty();
    }

    @Test
    void skippingTheFirewallStopsTheRemainingRules() throws Exception {
        CompiledRules rules = CompiledRules.compile(List.of(skip("trusted", "ssl", "firewall", "ratelimit"),
                rule("never", "ssl", Action.BLOCK)), Map.of(), Map.of());
        Verdict v = rules.evaluate(new SimpleRequestFacts().tls(true));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.CONTINUE);
        assertThat(v.skips("ratelimit")).isTrue();
        assertThat(rules.matchCounts()).containsEntry("never", 0L);
    }

    @Test
    void rulesWithoutIdsAreNamedByPosition() throws Exception {
        CompiledRules rules = CompiledRules.compile(List.of(rule(null, "ssl", Action.CHALLENGE)), Map.of(), Map.of());
        assertThat(rules.evaluate(new SimpleRequestFacts().tls(true)).ruleId()).isEqualTo("#1");
    }

    @Test
    void everyBadRuleIsReportedWithItsIdIndexAndPosition() {
        RulesException e = catchThrowableOfType(RulesException.class, () -> CompiledRules.compile(List.of(
                rule("ok", "ssl", Action.BLOCK),
                rule("typo", "http.hots eq \"a\"", Action.BLOCK),
                rule("regex", "ssl and\n http.user_agent matches \"(\"", Action.BLOCK),
                rule("ok", "ssl", Action.BLOCK),
                rule("no-action", "ssl", null),
                new FirewallRuleConfig("skip-none", null, "ssl", Action.SKIP, List.of(), null),
                new FirewallRuleConfig("skip-bad", null, "ssl", Action.SKIP, List.of("upstream"), null),
                new FirewallRuleConfig("block-skip", null, "ssl", Action.BLOCK, List.of("ratelimit"), null),
                rule(null, " ", Action.LOG),
                rule("list", "ip.src in $nope", Action.BLOCK)), Map.of(), Map.of()));
        assertThat(e).isNotNull();
        List<RuleProblem> p = e.problems();
        assertThat(p).extracting(RuleProblem::ruleId).containsExactly("typo", "regex", "ok", "no-action", "skip-none", "skip-bad",
                "block-skip", "#9", "list");
        assertThat(p.get(0)).isEqualTo(new RuleProblem(1, "typo", "expression", 1, 1, "unknown field 'http.hots' (did you mean 'http.host'?)"));
        assertThat(p.get(1).line()).isEqualTo(2);
        assertThat(p.get(1).column()).isEqualTo(26);
        assertThat(p.get(2).reason()).contains("duplicate rule id");
        assertThat(p.get(3).key()).isEqualTo("action");
        assertThat(p.get(4).key()).isEqualTo("skip_phases");
        assertThat(p.get(5).reason()).contains("unknown phase 'upstream'");
        assertThat(p.get(6).reason()).contains("only applies to action skip");
        assertThat(p.get(7).reason()).isEqualTo("expression is required");
        assertThat(p.get(8).reason()).contains("unknown list $nope");
        assertThat(e.getMessage()).contains("rule typo at 1:1: unknown field");
    }

    @Test
    void emptyRulesEvaluateToNothing() throws Exception {
        assertThat(CompiledRules.compile(List.of(), Map.of(), Map.of()).evaluate(new SimpleRequestFacts())).isSameAs(Verdict.NONE);
        assertThat(CompiledRules.empty().isEmpty()).isTrue();
    }

    @Test
    void evaluationIsSafeFromManyThreads() throws Exception {
        CompiledRules rules = rules();
        SimpleRequestFacts blocked = get("192.0.2.1", "/");
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 5000; i++) rules.evaluate(blocked);
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join(10_000);
        assertThat(rules.matchCounts()).containsEntry("bad-countries-list", 20_000L);
    }

    @Test
    void compileAllGivesEachZoneItsRulesOverSharedGlobalLists() throws Exception {
        String yaml = """
                edge:
                  listeners: [{name: http, address: "127.0.0.1:8080"}]
                lists:
                  blocked: [192.0.2.0/24]
                zones:
                  - id: a
                    hostnames: [a.localhost]
                    origins: {servers: [{url: "http://127.0.0.1:1"}]}
                    firewall:
                      - {id: global, expression: ip.src in $blocked, action: block}
                  - id: b
                    hostnames: [b.localhost]
                    origins: {servers: [{url: "http://127.0.0.1:1"}]}
                    lists:
                      blocked: [203.0.113.0/24]
                    firewall:
                      - {id: own, expression: ip.src in $blocked, action: challenge}
                """;
        Map<String, CompiledRules> all = CompiledRules.compileAll(dev.bulwark.core.config.ConfigLoader.parse("t.yaml", yaml, null));
        assertThat(all).containsOnlyKeys("a", "b");
        assertThat(all.get("a").evaluate(get("192.0.2.5", "/")).outcome()).isEqualTo(Verdict.Outcome.BLOCK);
        assertThat(all.get("a").evaluate(get("203.0.113.5", "/"))).isSameAs(Verdict.NONE);
        assertThat(all.get("b").evaluate(get("203.0.113.5", "/")).outcome()).isEqualTo(Verdict.Outcome.CHALLENGE);
        assertThat(all.get("b").evaluate(get("192.0.2.5", "/"))).isSameAs(Verdict.NONE);
    }
}
