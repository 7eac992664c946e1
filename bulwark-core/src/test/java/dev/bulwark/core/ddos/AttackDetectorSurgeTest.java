package dev.bulwark.core.ddos;

import dev.bulwark.core.config.DdosConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.observe.AttackRecord;
import dev.bulwark.core.request.SimpleRequestFacts;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detector's lifecycle around traffic that is not an attack: a fresh start, a zone waking up
 * from idle, a surge of real visitors. None of them may open an event that blocks nothing and
 * freezes the baseline, while real floods are still mitigated at once and an attacker cannot
 * teach the baseline faster than its moving average allows (simulated time, ManualClock).
 */
class AttackDetectorSurgeTest {
    static final DdosConfig BLOCK = AttackDetectorTest.BLOCK;
    static final DdosConfig UNDER_ATTACK = new DdosConfig(true, DdosConfig.Sensitivity.MEDIUM, RateLimitRuleConfig.Action.BLOCK, true, null, null);
    static final DdosConfig NO_UNDER_ATTACK = new DdosConfig(true, DdosConfig.Sensitivity.MEDIUM, RateLimitRuleConfig.Action.BLOCK, false, null, null);

    /** The attack lab's flood: one bot agent from 250 /24s, on the pages the visitors use too. */
    static final Function<Random, SimpleRequestFacts> BOT_FLOOD = r -> TrafficSimulation.facts(
            new byte[]{10, 10, (byte) r.nextInt(250), (byte) (1 + r.nextInt(254))}, "GET",
            TrafficSimulation.PATHS[r.nextInt(TrafficSimulation.PATHS.length)], "attack-bot/1.0");

    /** A botnet with nothing in common: random networks, random paths, random agents. */
    static final Function<Random, SimpleRequestFacts> FEATURELESS_FLOOD = r -> TrafficSimulation.facts(
            new byte[]{10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))}, "GET",
            "/p/" + Long.toHexString(r.nextLong()), "Mozilla/5.0 (" + Long.toHexString(r.nextLong()) + ")");

    @Test
    void aFreshStartWithABurstOpensNoEventAndTheBaselineCatchesUp() {
        List<AttackRecord> reports = new ArrayList<>();
        TrafficSimulation sim = new TrafficSimulation(NO_UNDER_ATTACK, reports::add);
        // the edge starts while the visitors' clients are still connecting, then a machine stall
        // is followed by a burst of their delayed requests
        sim.run(750, 10, 0, null, null);
        sim.run(6_000, 100, 0, null, null);
        sim.run(500, 180, 0, null, null);
        sim.run(15_000, 100, 0, null, null);
        assertThat(sim.detector.events()).isEmpty();
        assertThat(reports).isEmpty();
        assertThat(sim.detector.baseline().rate()).isBetween(85.0, 115.0);

        long ttm = sim.run(10_000, 100, 2500, BOT_FLOOD, () -> sim.detector.activeRule() != null);
        System.out.println("time to mitigate after a fresh start and a burst: " + ttm + " ms");
        assertThat(ttm).isPositive().isLessThanOrEqualTo(750);
        assertThat(sim.detector.activeRule().signature().userAgents()).containsExactly("attack-bot/1.0");
    }

    @Test
    void aSurgeOfRealVisitorsBecomesTheNewNormalWithoutAnEvent() {
        List<AttackRecord> reports = new ArrayList<>();
        TrafficSimulation sim = new TrafficSimulation(NO_UNDER_ATTACK, reports::add);
        sim.run(60_000, 5, 0, null, null);
        assertThat(sim.detector.baseline().rate()).isBetween(3.0, 7.0);

        // the site is linked from a popular page: 20× its visitors within a second, for good
        sim.run(60_000, 100, 0, null, null);
        assertThat(sim.detector.events()).as("a surge with nothing to separate is not an attack").isEmpty();
        assertThat(reports).isEmpty();
        assertThat(sim.detector.surges()).isEqualTo(1);
        assertThat(sim.detector.baseline().rate()).as("learnt, not frozen").isGreaterThan(75.0);

        long ttm = sim.run(10_000, 100, 2500, BOT_FLOOD, () -> sim.detector.activeRule() != null);
        System.out.println("time to mitigate after a surge became normal: " + ttm + " ms");
        assertThat(ttm).isPositive().isLessThanOrEqualTo(750);
    }

    @Test
    void aFloodInTheMiddleOfASurgeIsMitigatedAtOnce() {
        TrafficSimulation sim = new TrafficSimulation(NO_UNDER_ATTACK);
        sim.run(60_000, 30, 0, null, null);
        sim.run(2_000, 150, 0, null, null); // 5× the baseline: a surge still being learnt
        assertThat(sim.detector.current()).isEmpty();
        long ttm = sim.run(10_000, 150, 2500, BOT_FLOOD, () -> sim.detector.activeRule() != null);
        System.out.println("time to mitigate during a surge: " + ttm + " ms");
        assertThat(ttm).isPositive().isLessThanOrEqualTo(750);
        Signature sig = sim.detector.activeRule().signature();
        assertThat(sig.userAgents()).containsExactly("attack-bot/1.0");
        for (int i = 0; i < 200; i++) assertThat(sig.matches(sim.normal())).isFalse();
    }

    @Test
    void anIdleZoneThatWakesUpLearnsItsNewLevelFast() {
        TrafficSimulation sim = new TrafficSimulation(NO_UNDER_ATTACK);
        sim.run(30_000, 40, 0, null, null);
        sim.run(120_000, 0, 0, null, null); // nobody for two minutes
        assertThat(sim.detector.baseline().rate()).isLessThan(1.0);

        sim.run(3_000, 100, 0, null, null);
        assertThat(sim.detector.events()).isEmpty();
        assertThat(sim.detector.baseline().rate()).as("warm-up after idle learns in seconds").isGreaterThan(80.0);
        sim.run(10_000, 100, 0, null, null);
        assertThat(sim.detector.events()).isEmpty();

        long ttm = sim.run(10_000, 100, 2500, BOT_FLOOD, () -> sim.detector.activeRule() != null);
        assertThat(ttm).isPositive().isLessThanOrEqualTo(750);
    }

    @Test
    void aFloodWithASignatureIsCaughtEvenDuringTheWarmUp() {
        TrafficSimulation sim = new TrafficSimulation(BLOCK);
        sim.run(1_000, 100, 0, null, null);
        long ttm = sim.run(10_000, 100, 2500, BOT_FLOOD, () -> sim.detector.activeRule() != null);
        assertThat(ttm).isPositive().isLessThanOrEqualTo(750);
    }

    @Test
    void aFeaturelessFloodSwitchesOnUnderAttackModeAndKeepsItOn() {
        List<AttackRecord> reports = new ArrayList<>();
        TrafficSimulation sim = new TrafficSimulation(UNDER_ATTACK, reports::add);
        sim.run(30_000, 100, 0, null, null);
        long ttm = sim.run(10_000, 100, 3000, FEATURELESS_FLOOD, sim.detector::underAttack);
        System.out.println("time to under-attack mode, featureless flood: " + ttm + " ms");
        assertThat(ttm).isPositive().isLessThanOrEqualTo(750);
        AttackEvent e = sim.detector.current().orElseThrow();
        assertThat(e.signature().isEmpty()).isTrue();
        assertThat(sim.detector.activeRule()).isNull();
        assertThat(reports).isNotEmpty(); // challenging everyone is an action: reported

        // the bots never pass the challenge: the event stays, the baseline learns nothing
        sim.run(30_000, 100, 3000, FEATURELESS_FLOOD, null);
        assertThat(sim.detector.current()).isPresent().get().extracting(AttackEvent::id).isEqualTo(e.id());
        assertThat(sim.detector.underAttack()).isTrue();
        assertThat(sim.detector.baseline().rate()).isLessThan(150);

        long ended = sim.run(30_000, 100, 0, null, () -> sim.detector.current().isEmpty());
        assertThat(ended).isBetween(9_000L, 12_000L);
        assertThat(sim.detector.underAttack()).isFalse();
        assertThat(reports.getLast().ongoing()).isFalse();
    }

    @Test
    void underAttackEndsAsASurgeOnceTheExtraVisitorsPassTheChallenge() {
        List<AttackRecord> reports = new ArrayList<>();
        TrafficSimulation sim = new TrafficSimulation(UNDER_ATTACK, reports::add);
        sim.run(30_000, 100, 0, null, null);
        // 500 req/s more visitors, challenged at first; from then on they hold clearance
        sim.run(1_000, 100, 500, r -> sim.normal(), null);
        assertThat(sim.detector.underAttack()).isTrue();
        String id = sim.detector.current().orElseThrow().id();
        long closed = sim.run(20_000, 100, 500, r -> sim.normal().clearance(1, "c-" + r.nextInt(1000)),
                () -> sim.detector.current().isEmpty());
        assertThat(closed).as("verified visitors end the event within about 3 s").isBetween(2_500L, 4_000L);
        assertThat(sim.detector.underAttack()).isFalse();
        assertThat(sim.detector.events().getFirst().id()).isEqualTo(id);
        assertThat(reports.getLast().id()).isEqualTo(id);
        assertThat(reports.getLast().ongoing()).isFalse();
        assertThat(sim.detector.baseline().rate()).as("the verified level is the new normal").isBetween(500.0, 700.0);

        sim.run(30_000, 100, 500, r -> sim.normal().clearance(1, "c-" + r.nextInt(1000)), null);
        assertThat(sim.detector.events()).hasSize(1);
    }

    @Test
    void aFeaturelessFloodCannotTrainTheBaselineFasterThanItsMovingAverageAllows() {
        // Without under-attack mode a flood nothing separates is a surge; the baseline learns it,
        // but never faster than an attacker staying just under the threshold could already teach
        // it: rate' ≤ (factor − 1) × rate / τ, i.e. at most × e^(0.1 t) at MEDIUM (τ = 30 s).
        TrafficSimulation sim = new TrafficSimulation(NO_UNDER_ATTACK);
        sim.run(60_000, 100, 0, null, null);
        double start = sim.detector.baseline().rate();
        for (int s = 1; s <= 20; s++) {
            sim.run(1_000, 100, 10_000, FEATURELESS_FLOOD, null);
            double bound = start * Math.exp(3.0 / 30 * s) * 1.02;
            assertThat(sim.detector.baseline().rate()).as("after %d s", s).isLessThanOrEqualTo(bound);
        }
        assertThat(sim.detector.events()).isEmpty();

        // trained to ~7× by then, not to the flood's 100×: the attacker switching to a bot flood is caught
        long ttm = sim.run(10_000, 100, 10_000, BOT_FLOOD, () -> sim.detector.activeRule() != null);
        assertThat(ttm).isPositive().isLessThanOrEqualTo(3000);
        assertThat(sim.detector.activeRule().signature().userAgents()).containsExactly("attack-bot/1.0");
    }

    @Test
    void aBotFloodRampingUpIsCaughtLongBeforeItOutgrowsTheBaseline() {
        TrafficSimulation sim = new TrafficSimulation(BLOCK);
        sim.run(60_000, 100, 0, null, null);
        double flood = 50;
        long ttm = -1;
        for (int s = 0; s < 30 && ttm < 0; s++, flood *= 1.5) { // × 1.5 a second: 5× what τ = 30 s can follow
            double rate = flood;
            long t = sim.run(1_000, 100, rate, BOT_FLOOD, () -> sim.detector.activeRule() != null);
            if (t >= 0) ttm = s * 1000L + t;
        }
        System.out.println("ramping bot flood caught after " + ttm + " ms at " + Math.round(flood / 1.5) + " req/s");
        assertThat(ttm).isPositive();
        assertThat(flood / 1.5).as("caught before 10× the visitors").isLessThan(1000);
        assertThat(sim.detector.baseline().rate()).isLessThan(200);
    }

    @Test
    void aFloodTheWarmUpLearntIsStillNoCrowd() {
        // a fresh node whose only traffic is one client ramping up (a cold JVM): the warm-up learns
        // it as the zone's normal traffic, so no field separates it when it takes off
        Function<Random, SimpleRequestFacts> oneClient = r -> new SimpleRequestFacts()
                .client(TrafficSimulation.address(new byte[]{127, 0, 0, 1})).method("GET").uri("/1k").host("shop.example");
        TrafficSimulation sim = new TrafficSimulation(NO_UNDER_ATTACK);
        sim.run(6_000, 0, 150, oneClient, null);
        assertThat(sim.detector.events()).isEmpty();
        long ttm = sim.run(5_000, 0, 800, oneClient, () -> sim.detector.current().isPresent());
        assertThat(ttm).as("one address at 800 req/s is no surge of visitors").isPositive().isLessThanOrEqualTo(750);
        assertThat(sim.detector.surges()).isZero();
        sim.run(10_000, 0, 800, oneClient, null);
        assertThat(sim.detector.current()).as("nor does it end as one").isPresent();
    }
}
