package dev.bulwark.edge.policy;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.config.EnforcementConfig;
import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.rules.GlobalLists;
import dev.bulwark.core.time.ManualClock;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.policy.challenge.ChallengePhase;
import dev.bulwark.edge.policy.firewall.FirewallPhase;
import dev.bulwark.edge.policy.ratelimit.RateLimitPhase;
import dev.bulwark.edge.proxy.EdgeSnapshot;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;
import dev.bulwark.edge.upstream.OriginPool;
import dev.bulwark.edge.zone.Zone;
import dev.bulwark.edge.zone.ZonePolicies;
import dev.bulwark.edge.zone.ZoneTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.bulwark.core.config.FirewallRuleConfig.Action.ALLOW;
import static dev.bulwark.core.config.FirewallRuleConfig.Action.CHALLENGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The security phases as pure steps over a RequestContext: how they hand decisions to each other. No sockets. */
class SecurityPhasesTest {
    private final ManualClock clock = new ManualClock();
    private final EdgePolicies edge = new EdgePolicies(new EdgeServices(new SimpleMeterRegistry(), clock, null));
    private final List<Phase> security = List.of(new FirewallPhase(), new RateLimitPhase(), new ChallengePhase());

    private Zone zone(List<FirewallRuleConfig> rules, List<RateLimitRuleConfig> limits, boolean underAttack) {
        ZoneConfig z = Zones.zone("z", "z.test", "http://127.0.0.1:9", rules, null, limits, Zones.challenge(underAttack));
        return new Zone(z, OriginPool.of(z.origins(), clock), new AtomicInteger(), ZonePolicies.compile(z, new GlobalLists(Map.of()), edge));
    }

    private static RequestContext request(Zone zone, String method, String uri, String... headers) throws Exception {
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        req.headers().set("Host", "z.test");
        for (int i = 0; i < headers.length; i += 2) req.headers().add(headers[i], headers[i + 1]);
        InetAddress peer = InetAddress.getByName("192.0.2.10");
        EdgeSnapshot snap = new EdgeSnapshot(new BulwarkConfig(null, null, null, null), new ZoneTable(List.of(zone)), null, List.of());
        RequestContext ctx = new RequestContext("rid", snap, req, peer, peer, false, null, "HTTP/1.1", "z.test", 0, 0);
        ctx.zone(zone);
        return ctx;
    }

    private Phase.Result run(RequestContext ctx) {
        for (Phase p : security) if (p.run(ctx) == Phase.Result.ANSWERED) return Phase.Result.ANSWERED;
        return Phase.Result.CONTINUE;
    }

    @Test
    void aRestrictedZoneChallengesEveryVisitorWhateverItsOwnExemptions() throws Exception {
        // the owner exempts everything: never challenge, every address, every path
        ChallengeConfig lax = new ChallengeConfig(8, null, false, true, List.of("/"), List.of("0.0.0.0/0"), null, 8, null, Duration.ofSeconds(5), null);
        ZoneConfig open = Zones.zone("z", "z.test", "http://127.0.0.1:9", List.of(), null, List.of(), lax);
        ZoneConfig restricted = open.withEnforcement(new EnforcementConfig(EnforcementConfig.Status.RESTRICTED, "spam", null, null, null, null, null, null));
        for (ZoneConfig c : List.of(open, restricted)) {
            Zone z = new Zone(c, OriginPool.of(c.origins(), clock), new AtomicInteger(), ZonePolicies.compile(c, new GlobalLists(Map.of()), edge));
            RequestContext visitor = request(z, "GET", "/forum", "User-Agent", "browser", "Accept", "text/html");
            RequestContext robots = request(z, "GET", "/robots.txt", "User-Agent", "crawler");
            boolean isRestricted = c == restricted;
            assertThat(run(visitor)).as("restricted: " + isRestricted).isEqualTo(isRestricted ? Phase.Result.ANSWERED : Phase.Result.CONTINUE);
            if (isRestricted) assertThat(visitor.action()).isEqualTo("challenged");
            assertThat(run(robots)).as("robots.txt stays reachable").isEqualTo(Phase.Result.CONTINUE);
        }
    }

    @Test
    void aSkipRuleTurnsOffOnlyTheNamedPhase() throws Exception {
        Zone z = zone(List.of(Zones.skip("uploads", "http.request.uri.path eq \"/upload\"", "ratelimit")),
                List.of(Zones.limit("one", null, 1, Duration.ofSeconds(10), RateLimitRuleConfig.Action.BLOCK, Duration.ofSeconds(10))), false);
        for (int i = 0; i < 3; i++) assertThat(run(request(z, "POST", "/upload"))).isEqualTo(Phase.Result.CONTINUE);
        assertThat(run(request(z, "POST", "/other"))).isEqualTo(Phase.Result.CONTINUE);
        RequestContext limited = request(z, "POST", "/other");
        assertThat(run(limited)).isEqualTo(Phase.Result.ANSWERED);
        assertThat(limited.edgeAnswer().status()).isEqualTo(429);
        assertThat(limited.rule()).isEqualTo("ratelimit:one");
    }

    @Test
    void aTarpitAnswerIsHeldBackWithRetryAfter() throws Exception {
        Zone z = zone(List.of(), List.of(Zones.limit("slow", null, 1, Duration.ofSeconds(10), RateLimitRuleConfig.Action.TARPIT,
                Duration.ofSeconds(60))), false);
        run(request(z, "GET", "/"));
        RequestContext ctx = request(z, "GET", "/");
        assertThat(run(ctx)).isEqualTo(Phase.Result.ANSWERED);
        assertThat(ctx.edgeAnswer().status()).isEqualTo(429);
        assertThat(ctx.edgeAnswer().delayNanos()).as("capped").isEqualTo(Duration.ofSeconds(RateLimitPhase.MAX_TARPIT_SECONDS).toNanos());
        assertThat(ctx.edgeAnswer().headers()).contains(Map.entry("Retry-After", "60"));
        assertThat(ctx.action()).isEqualTo("tarpitted");
    }

    @Test
    void aCloseAnswerIs429WithRetryAfterAndEndsTheConnection() throws Exception {
        Zone z = zone(List.of(), List.of(Zones.limit("flood", null, 1, Duration.ofSeconds(10), RateLimitRuleConfig.Action.CLOSE,
                Duration.ofSeconds(60))), false);
        RequestContext allowed = request(z, "GET", "/");
        run(allowed);
        assertThat(allowed.closesConnection()).isFalse();
        RequestContext ctx = request(z, "GET", "/");
        assertThat(run(ctx)).isEqualTo(Phase.Result.ANSWERED);
        assertThat(ctx.edgeAnswer().status()).isEqualTo(429);
        assertThat(ctx.edgeAnswer().delayNanos()).as("answered at once").isZero();
        assertThat(ctx.edgeAnswer().headers()).contains(Map.entry("Retry-After", "60"));
        assertThat(ctx.closesConnection()).isTrue();
        assertThat(ctx.action()).isEqualTo(RateLimitPhase.CLOSED);
        assertThat(ctx.rule()).isEqualTo("ratelimit:flood");
    }

    @Test
    void allowPassesEveryLaterSecurityPhaseUnderAttack() throws Exception {
        Zone z = zone(List.of(Zones.rule("monitor", "http.user_agent eq \"monitor\"", ALLOW)), List.of(), true);
        RequestContext monitor = request(z, "GET", "/", "User-Agent", "monitor", "Accept", "text/html");
        assertThat(run(monitor)).isEqualTo(Phase.Result.CONTINUE);
        assertThat(monitor.rule()).isEqualTo("firewall:monitor");
        RequestContext visitor = request(z, "GET", "/", "User-Agent", "browser", "Accept", "text/html");
        assertThat(run(visitor)).isEqualTo(Phase.Result.ANSWERED);
        assertThat(visitor.action()).isEqualTo("challenged");
        assertThat(visitor.rule()).isEqualTo("challenge:under_attack");
    }

    @Test
    void theFirstPolicyToAskForAChallengeIsNamed() throws Exception {
        Zone z = zone(List.of(Zones.rule("suspicious", "http.request.uri.path eq \"/x\"", CHALLENGE)),
                List.of(Zones.limit("any", null, 1, Duration.ofSeconds(10), RateLimitRuleConfig.Action.CHALLENGE, Duration.ofSeconds(10))), false);
        run(request(z, "GET", "/y"));
        RequestContext ctx = request(z, "GET", "/x", "Accept", "application/json");
        assertThat(run(ctx)).isEqualTo(Phase.Result.ANSWERED);
        assertThat(ctx.edgeAnswer().status()).isEqualTo(403);
        assertThat(ctx.edgeAnswer().headers()).contains(Map.entry("Bulwark-Mitigated", "challenge"));
        assertThat(ctx.rule()).isEqualTo("firewall:suspicious");
    }

    @Test
    void aBadRateLimitExpressionIsRefusedWithZoneAndRule() {
        assertThatThrownBy(() -> zone(List.of(), List.of(Zones.limit("broken", "http.request.uri.path eq", 1, Duration.ofSeconds(1),
                RateLimitRuleConfig.Action.BLOCK, null)), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zone 'z'")
                .hasMessageContaining("rate limit rule 'broken'")
                .hasMessageContaining("1:");
    }
}
