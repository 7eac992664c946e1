package dev.bulwark.core.challenge;

import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.request.SimpleRequestFacts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bulwark.core.challenge.ChallengeDecision.DENY;
import static dev.bulwark.core.challenge.ChallengeDecision.EXEMPT;
import static dev.bulwark.core.challenge.ChallengeDecision.INTERSTITIAL;
import static dev.bulwark.core.challenge.ChallengeDecision.PASS;
import static dev.bulwark.core.challenge.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChallengeDecisionTest {
    final ChallengeRules rules = ChallengeRules.compile(ChallengeConfig.defaults());

    static SimpleRequestFacts navigation() {
        return new SimpleRequestFacts().client(ip("203.0.113.5")).host("shop.example").zone("shop", false).uri("/products?page=2")
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").header("Sec-Fetch-Mode", "navigate");
    }

    static SimpleRequestFacts fetch() {
        return new SimpleRequestFacts().client(ip("203.0.113.5")).zone("shop", false).uri("/api/cart")
                .header("Accept", "application/json").header("Sec-Fetch-Mode", "cors");
    }

    @Test
    void nothingHappensUnlessAskedOrUnderAttack() {
        assertThat(ChallengeDecision.decide(rules, navigation(), false, 0)).isEqualTo(PASS);
        assertThat(ChallengeDecision.decide(rules, fetch(), false, 0)).isEqualTo(PASS);
    }

    @Test
    void navigationsGetThePageEverythingElseTheStatus() {
        assertThat(ChallengeDecision.decide(rules, navigation(), true, 0)).isEqualTo(INTERSTITIAL);
        assertThat(ChallengeDecision.decide(rules, navigation().method("HEAD"), true, 0)).isEqualTo(INTERSTITIAL);
        assertThat(ChallengeDecision.decide(rules, fetch(), true, 0)).isEqualTo(DENY);
        assertThat(ChallengeDecision.decide(rules, navigation().method("POST"), true, 0)).isEqualTo(DENY);
        assertThat(ChallengeDecision.decide(rules, navigation().method("PUT"), true, 0)).isEqualTo(DENY);
        // Browser subresources and iframes-in-fetch: fetch metadata says what they are.
        SimpleRequestFacts image = new SimpleRequestFacts().client(ip("203.0.113.5")).zone("shop", false).uri("/logo.png")
                .header("Accept", "image/avif,*/*").header("Sec-Fetch-Mode", "no-cors");
        assertThat(ChallengeDecision.decide(rules, image, true, 0)).isEqualTo(DENY);
        // Without fetch metadata: Accept decides, XHR marker denies.
        SimpleRequestFacts oldBrowser = new SimpleRequestFacts().client(ip("203.0.113.5")).zone("shop", false).uri("/")
                .header("Accept", "application/xhtml+xml,TEXT/HTML;q=0.9");
        assertThat(ChallengeDecision.decide(rules, oldBrowser, true, 0)).isEqualTo(INTERSTITIAL);
        assertThat(ChallengeDecision.decide(rules, oldBrowser.header("X-Requested-With", "XMLHttpRequest"), true, 0)).isEqualTo(DENY);
        SimpleRequestFacts apiClient = new SimpleRequestFacts().client(ip("203.0.113.5")).zone("shop", false).uri("/v1/items")
                .header("User-Agent", "python-requests/2.32");
        assertThat(ChallengeDecision.decide(rules, apiClient, true, 0)).isEqualTo(DENY);
        // Sec-Fetch-Mode wins over a misleading Accept.
        assertThat(ChallengeDecision.decide(rules, fetch().header("Accept", "text/html"), true, 0)).isEqualTo(DENY);
    }

    @Test
    void clearancePasses() {
        assertThat(ChallengeDecision.decide(rules, navigation(), true, Clearances.LEVEL_WAIT)).isEqualTo(PASS);
        assertThat(ChallengeDecision.decide(rules, fetch(), true, Clearances.LEVEL_PROOF_OF_WORK)).isEqualTo(PASS);
        assertThat(ChallengeDecision.decide(rules, navigation().clearance(2, "abc"), true)).isEqualTo(PASS);
    }

    @Test
    void underAttackChallengesEveryoneWithoutClearance() {
        assertThat(ChallengeDecision.decide(rules, navigation().zone("shop", true), false, 0)).isEqualTo(INTERSTITIAL);
        assertThat(ChallengeDecision.decide(rules, fetch().zone("shop", true), false, 0)).isEqualTo(DENY);
        ChallengeRules configured = ChallengeRules.compile(new ChallengeConfig(null, null, true, null, null, null, null));
        assertThat(ChallengeDecision.decide(configured, navigation(), false, 0)).isEqualTo(INTERSTITIAL);
        assertThat(ChallengeDecision.decide(configured, navigation(), false, 2)).isEqualTo(PASS);
    }

    @Test
    void zoneWithoutTheNoScriptWaitRequiresProofOfWork() {
        ChallengeRules strict = ChallengeRules.compile(new ChallengeConfig(null, null, null, null, null, null, null, null, null, null, false));
        assertThat(strict.requiredLevel()).isEqualTo(Clearances.LEVEL_PROOF_OF_WORK);
        assertThat(ChallengeDecision.decide(strict, navigation(), true, Clearances.LEVEL_WAIT)).isEqualTo(INTERSTITIAL);
        assertThat(ChallengeDecision.decide(strict, fetch(), true, Clearances.LEVEL_WAIT)).isEqualTo(DENY);
        assertThat(ChallengeDecision.decide(strict, navigation(), true, Clearances.LEVEL_PROOF_OF_WORK)).isEqualTo(PASS);
        assertThat(rules.requiredLevel()).isEqualTo(Clearances.LEVEL_WAIT);
    }

    @Test
    void exemptionsWinEvenUnderAttack() {
        SimpleRequestFacts robots = navigation().zone("shop", true).uri("/robots.txt");
        assertThat(ChallengeDecision.decide(rules, robots, true, 0)).isEqualTo(EXEMPT);
        assertThat(ChallengeDecision.decide(rules, navigation().uri("/.well-known/security.txt"), true, 0)).isEqualTo(EXEMPT);
        assertThat(ChallengeDecision.decide(rules, navigation().uri("/robots.txt.bak"), true, 0)).isEqualTo(INTERSTITIAL);

        ChallengeRules custom = ChallengeRules.compile(new ChallengeConfig(null, null, null, null,
                List.of("/feed.xml", "/sitemaps/*", "/static/"), List.of("192.0.2.0/24", "2001:db8::/32"), null));
        assertThat(ChallengeDecision.decide(custom, navigation().uri("/feed.xml"), true, 0)).isEqualTo(EXEMPT);
        assertThat(ChallengeDecision.decide(custom, navigation().uri("/feed.xml?x=1"), true, 0)).isEqualTo(EXEMPT);
        assertThat(ChallengeDecision.decide(custom, navigation().uri("/sitemaps/a.xml"), true, 0)).isEqualTo(EXEMPT);
        assertThat(ChallengeDecision.decide(custom, fetch().uri("/static/app.js"), true, 0)).isEqualTo(EXEMPT);
        assertThat(ChallengeDecision.decide(custom, navigation().uri("/robots.txt"), true, 0)).isEqualTo(INTERSTITIAL); // list replaced
        assertThat(ChallengeDecision.decide(custom, fetch().client(ip("192.0.2.77")), true, 0)).isEqualTo(EXEMPT);
        assertThat(ChallengeDecision.decide(custom, fetch().client(ip("2001:db8:ff::1")), true, 0)).isEqualTo(EXEMPT);
        assertThat(ChallengeDecision.decide(custom, fetch().client(ip("192.0.3.77")), true, 0)).isEqualTo(DENY);

        ChallengeRules never = ChallengeRules.compile(new ChallengeConfig(null, null, true, true, null, null, null));
        assertThat(ChallengeDecision.decide(never, navigation(), true, 0)).isEqualTo(EXEMPT);
        assertThat(ChallengeDecision.decide(never, fetch(), true, 0)).isEqualTo(EXEMPT);
    }

    @Test
    void configConvenienceGivesTheSameAnswer() {
        assertThat(ChallengeDecision.decide(ChallengeConfig.defaults(), navigation(), true, 0)).isEqualTo(INTERSTITIAL);
    }

    @Test
    void badSettingsAreListedClearly() {
        ChallengeConfig bad = new ChallengeConfig(40, java.time.Duration.ZERO, null, null, List.of("robots.txt"),
                List.of("10.0.0.0/33", "not-an-ip"), null, null, null, null, null);
        assertThat(ChallengeRules.problems(bad)).anyMatch(p -> p.startsWith("difficulty"))
                .anyMatch(p -> p.startsWith("clearance_ttl"))
                .anyMatch(p -> p.startsWith("exempt_paths[0]"))
                .anyMatch(p -> p.startsWith("exempt_addresses[0]"))
                .anyMatch(p -> p.startsWith("exempt_addresses[1]"));
        assertThatThrownBy(() -> ChallengeRules.compile(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exempt_addresses[1]");
        assertThat(ChallengeRules.problems(ChallengeConfig.defaults())).isEmpty();
    }

    @Test
    void difficultyRisesWithPressureUpToTheCeiling() {
        assertThat(rules.difficulty(0)).isEqualTo(16);
        assertThat(rules.difficulty(1)).isEqualTo(18);
        assertThat(rules.difficulty(3)).isEqualTo(22);
        assertThat(rules.difficulty(4)).isEqualTo(22); // default ceiling
        assertThat(rules.difficulty(-3)).isEqualTo(16);
        assertThat(Difficulty.bits(20, 28, 9)).isEqualTo(28);
        assertThat(Difficulty.noscriptWait(java.time.Duration.ofSeconds(5), 2)).hasSeconds(20);
        assertThat(Difficulty.noscriptWait(java.time.Duration.ofSeconds(5), 4)).hasSeconds(80);
        assertThat(Difficulty.noscriptWait(java.time.Duration.ofSeconds(10), 4)).isEqualTo(Difficulty.MAX_WAIT);
    }
}
