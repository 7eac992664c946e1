package dev.bulwark.core.ddos;

import dev.bulwark.core.config.DdosConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.request.SimpleRequestFacts;
import org.junit.jupiter.api.Test;

import dev.bulwark.core.observe.AttackRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class AttackDetectorTest {
    static final DdosConfig BLOCK = new DdosConfig(true, DdosConfig.Sensitivity.MEDIUM, RateLimitRuleConfig.Action.BLOCK, true, null, null);

    /** Botnet: 65,536 addresses across 256 networks, all hammering POST /login with browser agents. */
    static final Function<Random, SimpleRequestFacts> DISTRIBUTED_LOGIN_FLOOD = r -> TrafficSimulation.facts(
            new byte[]{10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))},
            "GET", "/login", TrafficSimulation.AGENTS[r.nextInt(TrafficSimulation.AGENTS.length)]);

    /** One rented /24 requesting everything on the site and random product pages. */
    static final Function<Random, SimpleRequestFacts> PREFIX_FLOOD = r -> TrafficSimulation.facts(
            new byte[]{(byte) 203, 0, 113, (byte) (1 + r.nextInt(254))}, "GET",
            r.nextBoolean() ? TrafficSimulation.PATHS[r.nextInt(TrafficSimulation.PATHS.length)] : "/products/" + r.nextInt(100_000),
            TrafficSimulation.AGENTS[r.nextInt(TrafficSimulation.AGENTS.length)]);

    @Test
    void distributedFloodOnOnePathKeepsThePathAndDropsTheSource() {
        TrafficSimulation sim = new TrafficSimulation(BLOCK);
        sim.run(30_000, 100, 0, null, null);
        assertThat(sim.detector.current()).isEmpty();
        assertThat(sim.detector.baseline().rate()).isBetween(80.0, 120.0);

        long ttm = sim.run(10_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, () -> sim.detector.activeRule() != null);
        System.out.println("time to mitigate, distributed /login flood: " + ttm + " ms");
        assertThat(ttm).isPositive().isLessThanOrEqualTo(3000);

        MitigationRule rule = sim.detector.activeRule();
        Signature sig = rule.signature();
        System.out.println("signature: " + sig);
        assertThat(sig.paths()).containsExactly("/login");
        assertThat(sig.sourcePrefixes()).isEmpty();
        assertThat(sig.methods()).isEmpty(); // GET carries most normal traffic: not separating
        assertThat(rule.action()).isEqualTo(RateLimitRuleConfig.Action.BLOCK);
        assertThat(sim.detector.underAttack()).isTrue();

        Random r = new Random(7);
        int attackMatched = 0, normalMatched = 0, normalNotLogin = 0;
        for (int i = 0; i < 1000; i++) {
            if (rule.matches(DISTRIBUTED_LOGIN_FLOOD.apply(r))) attackMatched++;
            SimpleRequestFacts n = sim.normal();
            if (!n.path().equals("/login")) {
                normalNotLogin++;
                if (rule.matches(n)) normalMatched++;
            }
        }
        assertThat(attackMatched).isEqualTo(1000);
        assertThat(normalNotLogin).isPositive();
        assertThat(normalMatched).isZero();
    }

    @Test
    void singlePrefixFloodOnVariedPathsKeepsTheSourceAndDropsThePath() {
        TrafficSimulation sim = new TrafficSimulation(BLOCK);
        sim.run(30_000, 100, 0, null, null);
        long ttm = sim.run(10_000, 100, 2000, PREFIX_FLOOD, () -> sim.detector.activeRule() != null);
        System.out.println("time to mitigate, single-prefix flood: " + ttm + " ms");
        assertThat(ttm).isPositive().isLessThanOrEqualTo(3000);

        Signature sig = sim.detector.activeRule().signature();
        System.out.println("signature: " + sig);
        assertThat(sig.sourcePrefixes()).containsExactly("203.0.113.0/24");
        assertThat(sig.paths()).isEmpty();
        assertThat(sig.userAgents()).isEmpty();

        Random r = new Random(9);
        for (int i = 0; i < 200; i++) {
            assertThat(sig.matches(PREFIX_FLOOD.apply(r))).isTrue();
            assertThat(sig.matches(sim.normal())).isFalse();
        }
    }

    @Test
    void eventsAreReportedWhenTheyOpenChangeAndEnd() {
        List<AttackRecord> reports = new ArrayList<>();
        TrafficSimulation sim = new TrafficSimulation(BLOCK, reports::add);
        sim.run(30_000, 100, 0, null, null);
        assertThat(reports).isEmpty(); // normal traffic reports nothing

        sim.run(5_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, null);
        AttackEvent open = sim.detector.current().orElseThrow();
        assertThat(reports).isNotEmpty().allSatisfy(r -> assertThat(r.id()).isEqualTo(open.id()));
        AttackRecord first = reports.getFirst();
        assertThat(first.ongoing()).isTrue();
        assertThat(first.zone()).isEqualTo("shop");
        assertThat(first.paths()).containsExactly("/login");
        assertThat(first.action()).isEqualTo("block");
        assertThat(first.signature()).isEqualTo("http.request.uri.path in {\"/login\"}");
        // 20 ticks of a steady flood: reported on opening and when the peak grew, not on every tick
        assertThat(reports.size()).isLessThan(10);
        assertThat(reports.getLast().peakRate()).isGreaterThan(open.peakRate() / 1.1);

        sim.run(30_000, 100, 0, null, () -> sim.detector.current().isEmpty());
        AttackRecord last = reports.getLast();
        assertThat(last.ongoing()).isFalse();
        assertThat(last.endMillis()).isGreaterThan(last.startMillis());
        assertThat(last.peakRate()).isEqualTo(sim.detector.events().getFirst().peakRate());
        assertThat(last.toJson()).containsEntry("ongoing", false).containsEntry("action", "block").containsKey("signature");
        int afterEnd = reports.size();
        sim.run(5_000, 100, 0, null, null);
        assertThat(reports).hasSize(afterEnd);
    }

    @Test
    void aFloodWithoutUserAgentIsDetectedAndMatched() {
        // requests without a User-Agent once made the signature throw (a null label), so such a flood was never mitigated
        Function<Random, SimpleRequestFacts> bare = r -> new SimpleRequestFacts().client(address(r)).method("GET").uri("/").host("shop.example");
        TrafficSimulation sim = new TrafficSimulation(BLOCK);
        sim.run(30_000, 100, 0, null, null);
        long ttm = sim.run(10_000, 100, 3000, bare, () -> sim.detector.activeRule() != null);
        assertThat(ttm).isPositive().isLessThanOrEqualTo(3000);
        Signature sig = sim.detector.activeRule().signature();
        assertThat(sig.userAgents()).containsExactly("");
        assertThat(sig.matches(bare.apply(new Random(3)))).isTrue();
        assertThat(sig.matches(sim.normal())).isFalse();
    }

    private static java.net.InetAddress address(Random r) {
        try {
            return java.net.InetAddress.getByAddress(new byte[]{10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void endingADetectorClosesItsOngoingEvent() {
        List<AttackRecord> reports = new ArrayList<>();
        TrafficSimulation sim = new TrafficSimulation(BLOCK, reports::add);
        sim.run(30_000, 100, 0, null, null);
        sim.run(3_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, null);
        assertThat(sim.detector.current()).isPresent();
        sim.detector.end();
        assertThat(sim.detector.current()).isEmpty();
        assertThat(sim.detector.activeRule()).isNull();
        assertThat(reports.getLast().ongoing()).isFalse();
        assertThat(sim.detector.events().getFirst().ongoing()).isFalse();
    }

    @Test
    void aFailingRecorderDoesNotStopDetection() {
        TrafficSimulation sim = new TrafficSimulation(BLOCK, r -> { throw new IllegalStateException("store down"); });
        sim.run(30_000, 100, 0, null, null);
        long ttm = sim.run(10_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, () -> sim.detector.activeRule() != null);
        assertThat(ttm).isPositive();
    }

    @Test
    void eventEndsAndRuleExpiresWhenTrafficReturnsToBaseline() {
        TrafficSimulation sim = new TrafficSimulation(BLOCK);
        sim.run(30_000, 100, 0, null, null);
        sim.run(5_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, null);
        AttackEvent open = sim.detector.current().orElseThrow();
        assertThat(open.ongoing()).isTrue();
        assertThat(open.peakRate()).isGreaterThan(2500);
        assertThat(open.baselineRate()).isBetween(80.0, 120.0);
        // a botnet: hundreds of distinct addresses per tick against ~25 normally
        assertThat(open.peakSources()).isGreaterThan(10 * open.baselineSources());

        // calm for less than calmFor (10 s): still mitigating
        sim.run(5_000, 100, 0, null, null);
        assertThat(sim.detector.activeRule()).isNotNull();
        long ended = sim.run(20_000, 100, 0, null, () -> sim.detector.activeRule() == null);
        assertThat(ended).isPositive();
        assertThat(sim.detector.underAttack()).isFalse();
        assertThat(sim.detector.current()).isEmpty();
        AttackEvent done = sim.detector.events().getFirst();
        assertThat(done.id()).isEqualTo(open.id());
        assertThat(done.endMillis()).isGreaterThan(done.startMillis());
        assertThat(done.signature().paths()).containsExactly("/login");

        // the baseline did not learn the flood
        assertThat(sim.detector.baseline().rate()).isLessThan(150);
    }

    @Test
    void normalTrafficRampIsNotAnAttack() {
        for (DdosConfig.Sensitivity s : DdosConfig.Sensitivity.values()) {
            TrafficSimulation sim = new TrafficSimulation(new DdosConfig(true, s, null, null, null, null));
            sim.run(30_000, 100, 0, null, null);
            // a launch: traffic triples over two minutes, then a newsletter doubles it within a few seconds
            for (int minuteTenth = 0; minuteTenth < 120; minuteTenth++) {
                sim.run(1_000, 100 + 200.0 * minuteTenth / 120, 0, null, null);
            }
            for (int sec = 0; sec < 5; sec++) sim.run(1_000, 300 + 60.0 * sec, 0, null, null);
            sim.run(20_000, 600, 0, null, null);
            assertThat(sim.detector.events()).as("sensitivity " + s).isEmpty();
        }
    }

    @Test
    void withoutAutoMitigationTheEventIsRecordedButNothingEnforced() {
        TrafficSimulation sim = new TrafficSimulation(new DdosConfig(false, null, null, false, null, null));
        sim.run(30_000, 100, 0, null, null);
        sim.run(3_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, null);
        AttackEvent e = sim.detector.current().orElseThrow();
        assertThat(e.action()).isNull();
        assertThat(e.signature().paths()).containsExactly("/login");
        assertThat(sim.detector.activeRule()).isNull();
        assertThat(sim.detector.underAttack()).isFalse();
    }

    @Test
    void challengeRuleLetsClearedVisitorsThrough() {
        TrafficSimulation sim = new TrafficSimulation(new DdosConfig(true, null, RateLimitRuleConfig.Action.CHALLENGE, null, null, null));
        sim.run(30_000, 100, 0, null, null);
        sim.run(3_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, null);
        MitigationRule rule = sim.detector.activeRule();
        SimpleRequestFacts attack = DISTRIBUTED_LOGIN_FLOOD.apply(new Random(1));
        assertThat(rule.matches(attack)).isTrue();
        assertThat(rule.matches(attack.clearance(1, "c-1"))).isFalse();
    }

    @Test
    void floodThatChangesShapeGetsANewSignature() {
        TrafficSimulation sim = new TrafficSimulation(BLOCK);
        sim.run(30_000, 100, 0, null, null);
        sim.run(2_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, null);
        assertThat(sim.detector.activeRule().signature().paths()).containsExactly("/login");
        String id = sim.detector.current().orElseThrow().id();
        sim.run(3_000, 100, 3000, PREFIX_FLOOD, null);
        Signature now = sim.detector.activeRule().signature();
        assertThat(now.sourcePrefixes()).containsExactly("203.0.113.0/24");
        assertThat(sim.detector.current().orElseThrow().id()).isEqualTo(id);
    }

    @Test
    void aSmallerFloodThatMakesTheOriginFailIsAnAttackToo() {
        Function<Random, SimpleRequestFacts> expensiveSearch = r -> TrafficSimulation.facts(
                new byte[]{10, (byte) r.nextInt(256), (byte) r.nextInt(256), 1}, "GET", "/search",
                TrafficSimulation.AGENTS[r.nextInt(TrafficSimulation.AGENTS.length)]);
        // +200 req/s (3× the rate, below MEDIUM's 4×): answered normally, it is not an attack
        TrafficSimulation ok = new TrafficSimulation(BLOCK);
        ok.run(30_000, 100, 0, null, null);
        ok.run(10_000, 100, 200, expensiveSearch, null, 200);
        assertThat(ok.detector.events()).isEmpty();

        // the same surge while the origin answers 503: mitigated
        TrafficSimulation failing = new TrafficSimulation(BLOCK);
        failing.run(30_000, 100, 0, null, null);
        long ttm = failing.run(10_000, 100, 200, expensiveSearch, () -> failing.detector.activeRule() != null, 503);
        assertThat(ttm).isPositive().isLessThanOrEqualTo(3000);
        assertThat(failing.detector.activeRule().signature().paths()).containsExactly("/search");
    }

    @Test
    void reconfiguringKeepsTheBaselineAndCanStopEnforcement() {
        TrafficSimulation sim = new TrafficSimulation(BLOCK);
        sim.run(30_000, 100, 0, null, null);
        double learnt = sim.detector.baseline().rate();
        DdosConfig shadow = new DdosConfig(false, DdosConfig.Sensitivity.HIGH, null, false, null, null);
        sim.detector.reconfigure(shadow, DetectorSettings.of(shadow));
        assertThat(sim.detector.baseline().rate()).isEqualTo(learnt);
        sim.run(2_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, null);
        assertThat(sim.detector.current()).isPresent();
        assertThat(sim.detector.activeRule()).isNull();

        sim.detector.reconfigure(BLOCK, DetectorSettings.of(BLOCK));
        sim.run(2_000, 100, 3000, DISTRIBUTED_LOGIN_FLOOD, null);
        assertThat(sim.detector.activeRule()).isNotNull(); // the flood still runs: the rule is derived again
    }
}
