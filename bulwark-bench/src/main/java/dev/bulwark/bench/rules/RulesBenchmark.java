package dev.bulwark.bench.rules;

import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.rules.CompiledRules;
import dev.bulwark.core.rules.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * 100 typical firewall rules against a typical browser request that matches none of them, so
 * every rule runs (the worst case for a clean request). Target: under 5 µs per evaluation.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp ... org.openjdk.jmh.Main RulesBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RulesBenchmark {
    private CompiledRules rules;
    private BenchRequest request;
    private List<FirewallRuleConfig> configs;
    private Map<String, List<String>> lists;

    @Setup
    public void setup() throws Exception {
        configs = typicalRules();
        lists = Map.of("office", List.of("198.51.100.0/24", "203.0.113.0/28"),
                "bad_agents", List.of("sqlmap", "nikto", "masscan", "zgrab", "python-requests/2.0"),
                "tor_exits", torLike(2_000));
        rules = CompiledRules.compile(configs, lists, Map.of());
        request = BenchRequest.typical();
        if (rules.evaluate(request) != Verdict.NONE) throw new IllegalStateException("the typical request must match no rule");
    }

    @Benchmark
    public Verdict evaluate100Rules() { return rules.evaluate(request); }

    /** What a config reload pays per zone: parse, type-check and compile the same 100 rules. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public CompiledRules compile100Rules() throws Exception {
        return CompiledRules.compile(configs, lists, Map.of());
    }

    /** A realistic mix: paths, methods, agents, headers, query probes, IP sets and lists, a few regexes and wildcards. */
    static List<FirewallRuleConfig> typicalRules() {
        List<String> e = new ArrayList<>();
        e.add("ip.src in $office and http.request.uri.path eq \"/admin\"");
        e.add("ip.src in $tor_exits");
        e.add("http.user_agent in $bad_agents");
        e.add("http.request.method eq \"POST\" and http.request.uri.path eq \"/wp-login.php\" and not ip.src in $office");
        e.add("http.request.method in {\"TRACE\" \"TRACK\" \"CONNECT\" \"DEBUG\"}");
        e.add("http.user_agent eq \"\"");
        e.add("http.user_agent matches \"(?i)(sqlmap|nikto|nessus|acunetix|w3af|havij)\"");
        e.add("http.request.uri.query matches \"(?i)union[ +]+select\"");
        e.add("http.request.uri.path wildcard \"/*.env\"");
        e.add("http.request.uri.path wildcard \"*/.git/*\"");
        e.add("bulwark.zone.under_attack and bulwark.clearance.level lt 1");
        e.add("ip.src in {192.0.2.0/24 2001:db8::/32 100.100.0.0/16}");
        e.add("http.host eq \"internal.example.com\" and not ip.src in $office");
        e.add("len(http.request.uri) gt 4096");
        e.add("len(http.cookie) gt 8192");
        e.add("http.request.headers[\"x-forwarded-host\"] ne \"\" and http.request.headers[\"x-forwarded-host\"] ne http.host");
        e.add("lower(http.request.uri.path) contains \"/phpmyadmin\"");
        e.add("http.referer contains \"casino-spam.example\"");
        e.add("http.request.version eq \"HTTP/1.0\" and http.request.method eq \"POST\"");
        e.add("not ssl and starts_with(http.request.uri.path, \"/account\")");
        String[] probes = {"/wp-admin", "/xmlrpc.php", "/.aws", "/cgi-bin", "/server-status", "/actuator", "/solr", "/manager/html",
                "/vendor/phpunit", "/boaform", "/HNAP1", "/owa/auth", "/autodiscover", "/console", "/jenkins", "/.DS_Store",
                "/config.json", "/debug", "/telescope", "/_profiler"};
        for (String p : probes) e.add("starts_with(http.request.uri.path, \"" + p + "\")");
        String[] exts = {"bak", "sql", "old", "swp", "tar", "gz", "zip", "7z", "ini", "log"};
        for (String x : exts) e.add("ends_with(http.request.uri.path, \"." + x + "\")");
        String[] queryProbes = {"<script", "../", "%00", "etc/passwd", "cmd=", "exec(", "base64_decode", "${jndi:", "sleep(", "benchmark("};
        for (String q : queryProbes) e.add("http.request.uri.query contains \"" + q + "\"");
        String[] agents = {"curl/", "wget/", "go-http-client", "libwww-perl", "scrapy", "httpclient", "okhttp", "java/", "ruby", "php/"};
        for (String a : agents) e.add("starts_with(lower(http.user_agent), \"" + a + "\") and http.request.uri.path eq \"/login\"");
        String[] hosts = {"old.example.com", "staging.example.com", "dev.example.com", "test.example.com", "beta.example.com"};
        for (String h : hosts) e.add("http.host eq \"" + h + "\"");
        for (int i = 0; i < 10; i++) e.add("http.request.cookies[\"blocked_session_" + i + "\"] ne \"\"");
        for (int i = 0; i < 10; i++) e.add("http.request.uri.args[\"utm_" + i + "\"] eq \"spam\"");
        e.add("http.request.headers[\"accept\"] eq \"\" and http.request.method eq \"POST\"");
        e.add("http.request.headers[\"accept-language\"] eq \"\" and bulwark.zone.under_attack");
        e.add("http.user_agent contains \"HeadlessChrome\" and not bulwark.clearance.level ge 1");
        e.add("http.request.uri.path in {\"/login\" \"/signup\" \"/reset-password\"} and http.request.method eq \"PUT\"");
        e.add("url_decode(http.request.uri.query) contains \"' or 1=1\"");
        List<FirewallRuleConfig> rules = new ArrayList<>();
        for (int i = 0; i < e.size() && rules.size() < 100; i++) {
            FirewallRuleConfig.Action action = switch (i % 4) {
                case 0 -> FirewallRuleConfig.Action.BLOCK;
                case 1 -> FirewallRuleConfig.Action.CHALLENGE;
                case 2 -> FirewallRuleConfig.Action.LOG;
                default -> FirewallRuleConfig.Action.BLOCK;
            };
            rules.add(new FirewallRuleConfig("r" + i, null, e.get(i), action, null, null));
        }
        while (rules.size() < 100) {
            int i = rules.size();
            rules.add(new FirewallRuleConfig("r" + i, null, "http.request.uri.path eq \"/blocked/" + i + "\"", FirewallRuleConfig.Action.BLOCK, null, null));
        }
        return rules;
    }

    static List<String> torLike(int n) {
        List<String> l = new ArrayList<>(n);
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < n; i++) l.add((rnd.nextInt(90) + 1) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256));
        return l;
    }
}
