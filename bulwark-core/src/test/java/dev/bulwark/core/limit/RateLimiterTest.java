package dev.bulwark.core.limit;

import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig.Action;
import dev.bulwark.core.request.SimpleRequestFacts;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static dev.bulwark.core.limit.RateLimitDecision.Outcome.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {
    final ManualClock clock = new ManualClock();

    /** Stands in for the firewall rules compiler: understands "path eq <p>" and "method eq <m>". */
    static final Function<String, RequestMatcher> COMPILER = expr -> {
        String[] p = expr.split(" ");
        if (p.length != 3 || !p[1].equals("eq")) throw new IllegalArgumentException("cannot parse '" + expr + "'");
        return switch (p[0]) {
            case "path" -> r -> r.path().equals(p[2]);
            case "method" -> r -> r.method().equals(p[2]);
            default -> throw new IllegalArgumentException("unknown field " + p[0]);
        };
    };

    static RateLimitRuleConfig rule(String id, List<String> key, long requests, Action action, Duration mitigation) {
        return new RateLimitRuleConfig(id, null, null, key, Duration.ofSeconds(10), requests, action, mitigation, null);
    }

    RateLimiter limiter(RateLimitRuleConfig... rules) {
        return new RateLimiter("zone-1", List.of(rules), COMPILER, new InMemorySharedCounters(SketchShape.SMALL, clock), new BoundedBanTable(1024, clock));
    }

    static SimpleRequestFacts from(String ip) throws Exception {
        return new SimpleRequestFacts().client(InetAddress.getByName(ip)).host("shop.example").uri("/");
    }

    @Test
    void blocksAKeyOverItsLimitAndBansItForTheMitigationTimeout() throws Exception {
        RateLimiter rl = limiter(rule("per-ip", List.of("ip.src"), 3, Action.BLOCK, Duration.ofSeconds(60)));
        SimpleRequestFacts a = from("203.0.113.1"), b = from("203.0.113.2");
        for (int i = 0; i < 3; i++) assertThat(rl.check(a)).isSameAs(RateLimitDecision.ALLOW);
        RateLimitDecision d = rl.check(a);
        assertThat(d.outcome()).isEqualTo(BLOCK);
        assertThat(d.ruleId()).isEqualTo("per-ip");
        assertThat(d.retryAfterSeconds()).isEqualTo(60);
        assertThat(d.enforced()).isTrue();
        assertThat(rl.check(b)).isSameAs(RateLimitDecision.ALLOW); // another address has its own count

        clock.advance(Duration.ofSeconds(45)); // the window has long passed, the ban has not
        assertThat(rl.check(a).retryAfterSeconds()).isEqualTo(15);
        clock.advance(Duration.ofSeconds(15));
        assertThat(rl.check(a).outcome()).isEqualTo(ALLOW);
    }

    @Test
    void closeActionRefusesTheTrippingRequestAndEveryOneWhileBanned() throws Exception {
        RateLimiter rl = limiter(rule("flood", List.of("ip.src"), 2, Action.CLOSE, Duration.ofSeconds(30)));
        SimpleRequestFacts a = from("203.0.113.7");
        assertThat(rl.check(a)).isSameAs(RateLimitDecision.ALLOW);
        assertThat(rl.check(a)).isSameAs(RateLimitDecision.ALLOW);
        RateLimitDecision trip = rl.check(a);
        assertThat(trip.outcome()).isEqualTo(CLOSE);
        assertThat(trip.ruleId()).isEqualTo("flood");
        assertThat(trip.retryAfterSeconds()).isEqualTo(30);
        assertThat(trip.enforced()).isTrue();

        clock.advance(Duration.ofSeconds(20)); // the window has passed: only the ban refuses now
        RateLimitDecision banned = rl.check(a);
        assertThat(banned.outcome()).isEqualTo(CLOSE);
        assertThat(banned.retryAfterSeconds()).isEqualTo(10);
        assertThat(rl.check(from("203.0.113.8")).outcome()).as("another key is not banned").isEqualTo(ALLOW);
        clock.advance(Duration.ofSeconds(10));
        assertThat(rl.check(a).outcome()).isEqualTo(ALLOW);
    }

    @Test
    void withoutMitigationTimeoutOnlyTheExcessIsRefused() throws Exception {
        RateLimiter rl = limiter(rule("r", List.of("ip.src"), 2, Action.BLOCK, Duration.ZERO));
        SimpleRequestFacts a = from("192.0.2.1");
        rl.check(a);
        rl.check(a);
        RateLimitDecision d = rl.check(a);
        assertThat(d.outcome()).isEqualTo(BLOCK);
        assertThat(d.retryAfterSeconds()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(20));
        assertThat(rl.check(a).outcome()).isEqualTo(ALLOW);
    }

    @Test
    void prefixKeyGroupsAWholeSlash24AndSlash64() throws Exception {
        RateLimiter rl = limiter(rule("net", List.of("ip.prefix"), 2, Action.BLOCK, Duration.ofSeconds(5)));
        assertThat(rl.check(from("198.51.100.1")).outcome()).isEqualTo(ALLOW);
        assertThat(rl.check(from("198.51.100.2")).outcome()).isEqualTo(ALLOW);
        assertThat(rl.check(from("198.51.100.3")).outcome()).isEqualTo(BLOCK);
        assertThat(rl.check(from("198.51.101.3")).outcome()).isEqualTo(ALLOW);
        assertThat(rl.check(from("2001:db8:1:2::1")).outcome()).isEqualTo(ALLOW);
        assertThat(rl.check(from("2001:db8:1:2:ffff::9")).outcome()).isEqualTo(ALLOW);
        assertThat(rl.check(from("2001:db8:1:2:abcd::1")).outcome()).isEqualTo(BLOCK);
        assertThat(rl.check(from("2001:db8:1:3::1")).outcome()).isEqualTo(ALLOW);
    }

    @Test
    void headerCookieQueryPathAndClearanceKeys() throws Exception {
        RateLimiter header = limiter(rule("api-key", List.of("http.request.headers[\"X-Api-Key\"]"), 1, Action.BLOCK, Duration.ofSeconds(5)));
        assertThat(header.check(from("192.0.2.1").header("x-api-key", "k1")).outcome()).isEqualTo(ALLOW);
        assertThat(header.check(from("192.0.2.2").header("X-API-KEY", "k1")).outcome()).isEqualTo(BLOCK); // same key, other address
        assertThat(header.check(from("192.0.2.2").header("x-api-key", "k2")).outcome()).isEqualTo(ALLOW);
        assertThat(header.check(from("192.0.2.3")).outcome()).isEqualTo(ALLOW); // no header: its own bucket
        assertThat(header.check(from("192.0.2.4")).outcome()).isEqualTo(BLOCK);

        RateLimiter cookie = limiter(rule("session", List.of("cookie:sid"), 1, Action.BLOCK, Duration.ofSeconds(5)));
        assertThat(cookie.check(from("192.0.2.1").header("cookie", "theme=dark; sid=abc")).outcome()).isEqualTo(ALLOW);
        assertThat(cookie.check(from("192.0.2.9").header("cookie", "sid=abc;theme=light")).outcome()).isEqualTo(BLOCK);
        assertThat(cookie.check(from("192.0.2.9").header("cookie", "xsid=abc; sid=abd")).outcome()).isEqualTo(ALLOW);

        RateLimiter query = limiter(rule("search", List.of("http.request.uri.args[\"q\"]"), 1, Action.BLOCK, Duration.ofSeconds(5)));
        assertThat(query.check(from("192.0.2.1").uri("/s?page=2&q=shoes")).outcome()).isEqualTo(ALLOW);
        assertThat(query.check(from("192.0.2.2").uri("/s?q=shoes")).outcome()).isEqualTo(BLOCK);
        assertThat(query.check(from("192.0.2.2").uri("/s?q=shoe")).outcome()).isEqualTo(ALLOW);
        assertThat(query.check(from("192.0.2.2").uri("/s?qq=shoes")).outcome()).isEqualTo(ALLOW);

        RateLimiter path = limiter(rule("path", List.of("ip.src", "http.request.uri.path"), 1, Action.BLOCK, Duration.ofSeconds(5)));
        assertThat(path.check(from("192.0.2.1").uri("/a?x=1")).outcome()).isEqualTo(ALLOW);
        assertThat(path.check(from("192.0.2.1").uri("/a?x=2")).outcome()).isEqualTo(BLOCK);
        assertThat(path.check(from("192.0.2.1").uri("/b")).outcome()).isEqualTo(ALLOW);
        assertThat(path.check(from("192.0.2.2").uri("/a")).outcome()).isEqualTo(ALLOW);

        RateLimiter clearance = limiter(rule("visitor", List.of("clearance.id"), 1, Action.BLOCK, Duration.ofSeconds(5)));
        assertThat(clearance.check(from("192.0.2.1").clearance(1, "c-1")).outcome()).isEqualTo(ALLOW);
        assertThat(clearance.check(from("192.0.2.2").clearance(1, "c-1")).outcome()).isEqualTo(BLOCK);
        assertThat(clearance.check(from("192.0.2.2").clearance(1, "c-2")).outcome()).isEqualTo(ALLOW);
    }

    @Test
    void logModeReportsButNeverEnforces() throws Exception {
        RateLimiter rl = limiter(new RateLimitRuleConfig("shadow", null, null, List.of("ip.src"), Duration.ofSeconds(10), 2L,
                Action.BLOCK, Duration.ofSeconds(30), FirewallRuleConfig.Mode.LOG));
        SimpleRequestFacts a = from("192.0.2.1");
        rl.check(a);
        rl.check(a);
        for (int i = 0; i < 5; i++) {
            RateLimitDecision d = rl.check(a);
            assertThat(d.outcome()).isEqualTo(LOG);
            assertThat(d.enforced()).isFalse();
            assertThat(d.shadowAction()).isEqualTo(Action.BLOCK);
            assertThat(d.ruleId()).isEqualTo("shadow");
        }
    }

    @Test
    void enforcingRuleWinsOverAnEarlierShadowRule() throws Exception {
        RateLimiter rl = limiter(
                rule("watch", List.of("ip.src"), 1, Action.LOG, Duration.ofSeconds(30)),
                rule("enforce", List.of("ip.src"), 2, Action.TARPIT, Duration.ofSeconds(30)));
        SimpleRequestFacts a = from("192.0.2.1");
        assertThat(rl.check(a).outcome()).isEqualTo(ALLOW);
        assertThat(rl.check(a).outcome()).isEqualTo(LOG);
        RateLimitDecision d = rl.check(a);
        assertThat(d.outcome()).isEqualTo(TARPIT);
        assertThat(d.ruleId()).isEqualTo("enforce");
    }

    @Test
    void expressionLimitsWhichRequestsCount() throws Exception {
        RateLimiter rl = limiter(new RateLimitRuleConfig("login", null, "path eq /login", List.of("ip.src"), Duration.ofMinutes(1), 2L,
                Action.CHALLENGE, Duration.ofMinutes(5), null));
        SimpleRequestFacts login = from("192.0.2.1").uri("/login"), home = from("192.0.2.1").uri("/");
        for (int i = 0; i < 10; i++) assertThat(rl.check(home).outcome()).isEqualTo(ALLOW);
        rl.check(login);
        rl.check(login);
        assertThat(rl.check(login).outcome()).isEqualTo(CHALLENGE);
        assertThat(rl.check(home).outcome()).isEqualTo(ALLOW);
        // a visitor who solved the challenge is not challenged again by this rule
        assertThat(rl.check(from("192.0.2.1").uri("/login").clearance(1, "c")).outcome()).isEqualTo(ALLOW);
    }

    @Test
    void zonesSharingCountersDoNotShareKeys() throws Exception {
        InMemorySharedCounters counters = new InMemorySharedCounters(SketchShape.SMALL, clock);
        BoundedBanTable bans = new BoundedBanTable(1024, clock);
        List<RateLimitRuleConfig> rules = List.of(rule("r", List.of("ip.src"), 1, Action.BLOCK, Duration.ofSeconds(60)));
        RateLimiter z1 = new RateLimiter("z1", rules, COMPILER, counters, bans);
        RateLimiter z2 = new RateLimiter("z2", rules, COMPILER, counters, bans);
        SimpleRequestFacts a = from("192.0.2.1");
        z1.check(a);
        assertThat(z1.check(a).outcome()).isEqualTo(BLOCK);
        assertThat(z2.check(a).outcome()).isEqualTo(ALLOW);
    }

    @Test
    void invalidRulesAreReportedByName() {
        assertThatThrownBy(() -> limiter(rule("bad-key", List.of("ip.source"), 1, Action.BLOCK, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate limit rule 'bad-key'").hasMessageContaining("ip.source");
        assertThatThrownBy(() -> limiter(rule("no-limit", List.of("ip.src"), 0, Action.BLOCK, null)))
                .hasMessageContaining("'no-limit'").hasMessageContaining("requests");
        assertThatThrownBy(() -> limiter(new RateLimitRuleConfig("expr", null, "path like /x", null, null, 5L, null, null, null)))
                .hasMessageContaining("'expr'").hasMessageContaining("cannot parse");
        assertThatThrownBy(() -> limiter(rule("empty-header", List.of("header:"), 1, Action.BLOCK, null)))
                .hasMessageContaining("names no header");
    }

    @Test
    void aDistributedFloodOfDistinctAddressesDoesNotTripInnocentKeys() throws Exception {
        // 300,000 one-off addresses in one 10 s window (30k req/s from a botnet) and a per-address
        // limit of 20: with conservative update the noise floor stays below the limit
        RateLimiter rl = new RateLimiter("z", List.of(rule("r", List.of("ip.src"), 20, Action.BLOCK, Duration.ofSeconds(60))), COMPILER,
                new InMemorySharedCounters(SketchShape.DEFAULT, clock), new BoundedBanTable(1 << 16, clock));
        int blocked = 0;
        byte[] ip = new byte[4];
        for (int i = 0; i < 300_000; i++) {
            ip[0] = 10; ip[1] = (byte) (i >>> 16); ip[2] = (byte) (i >>> 8); ip[3] = (byte) i;
            if (rl.check(new SimpleRequestFacts().client(InetAddress.getByAddress(ip))).enforced()) blocked++;
        }
        assertThat(blocked).isZero();
        // and a real offender among them is still caught at its limit
        SimpleRequestFacts offender = from("192.0.2.77");
        int allowed = 0;
        while (allowed < 100 && !rl.check(offender).enforced()) allowed++;
        assertThat(allowed).isBetween(1, 20);
    }
}
