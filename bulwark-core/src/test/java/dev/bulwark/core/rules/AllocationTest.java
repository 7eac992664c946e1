package dev.bulwark.core.rules;

import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.request.RequestFacts;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Rules over the common fields, lower() compared with a literal, wildcards and prefiltered regexes (on ASCII values) must not allocate per request (measured with the JVM's per-thread allocation counter). */
class AllocationTest {
    /** Facts with every value precomputed, as the edge's request context holds them. */
    private record Fixed(InetAddress clientAddress, String host, String method, String uri, String path, String query,
                         String userAgent) implements RequestFacts {
        @Override public String header(String name) { return name.equals("user-agent") ? userAgent : null; }
        @Override public List<String> headers(String name) { return List.of(); }
        @Override public String httpVersion() { return "HTTP/1.1"; }
        @Override public boolean tls() { return true; }
        @Override public String zoneId() { return "z"; }
        @Override public boolean zoneUnderAttack() { return false; }
        @Override public int clearanceLevel() { return 0; }
        @Override public String clearanceId() { return null; }
    }

    @Test
    void commonFieldRulesDoNotAllocate() throws Exception {
        com.sun.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t ? t : null;
        assumeTrue(mx != null && mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        CompiledRules rules = CompiledRules.compile(List.of(
                rule("ip", "ip.src in {192.0.2.0/24 198.51.100.0/24 2001:db8::/32}"),
                rule("list", "ip.src in $blocked"),
                rule("host", "http.host eq \"admin.example\" or http.host in {\"a.example\" \"b.example\"}"),
                rule("method", "http.request.method in {\"TRACE\" \"CONNECT\"} and not ssl"),
                rule("path", "starts_with(http.request.uri.path, \"/wp-\") and ends_with(http.request.uri.path, \".php\")"),
                rule("ua", "http.user_agent contains \"sqlmap\" or len(http.user_agent) gt 512"),
                rule("query", "http.request.uri.query contains \"UNION SELECT\""),
                rule("clear", "bulwark.zone.under_attack and bulwark.clearance.level lt 1"),
                rule("lower", "lower(http.user_agent) contains \"bot\" or starts_with(lower(http.request.uri.path), \"/admin\")"),
                rule("wildcard", "http.request.uri.path wildcard \"*/.git/*\""),
                rule("regex", "http.user_agent matches \"(?i)(sqlmap|nikto)\"")),
                Map.of("blocked", List.of("203.0.113.0/24", "10.0.0.0/8")), Map.of());
        RequestFacts r = new Fixed(InetAddress.getByName("100.64.1.2"), "www.example", "GET", "/index.html?a=1", "/index.html",
                "a=1", "Mozilla/5.0");
        long tid = Thread.currentThread().threadId();
        for (int i = 0; i < 50_000; i++) rules.evaluate(r);
        long before = mx.getThreadAllocatedBytes(tid);
        Verdict last = null;
        for (int i = 0; i < 100_000; i++) last = rules.evaluate(r);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(last).isSameAs(Verdict.NONE);
        // 100k evaluations of 8 rules: anything per-request would be megabytes; allow the counter's own noise
        assertThat(allocated).as("bytes allocated by 100k evaluations").isLessThan(20_000);
    }

    private static FirewallRuleConfig rule(String id, String expr) {
        return new FirewallRuleConfig(id, null, expr, FirewallRuleConfig.Action.BLOCK, null, null);
    }
}
