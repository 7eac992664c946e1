package dev.bulwark.core.challenge;

import dev.bulwark.core.challenge.FormChallenge.Check;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static dev.bulwark.core.challenge.Fixtures.UA;
import static dev.bulwark.core.challenge.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

/** The form puzzle: what {@link FormChallenge#verify} accepts and what it refuses, on a manual clock. */
class FormChallengeTest {
    final ManualClock clock = new ManualClock();
    final InMemoryKeyRing ring = new InMemoryKeyRing(clock);
    final FormChallenge form = new FormChallenge(ring, "form:abuse", "/abuse");
    final InetAddress client = ip("198.51.100.23");
    final long now = clock.currentTimeMillis();

    FormChallenge.Puzzle issue(int bits) { return form.issue(client, UA, bits, Duration.ofHours(1), now); }

    static String solve(FormChallenge.Puzzle p) {
        long c = PowSolver.solve(java.util.HexFormat.of().parseHex(p.nonceHex()), p.difficulty());
        assertThat(c).isNotNegative();
        return Long.toString(c);
    }

    Check verify(String token, String counter, int minBits, long at) {
        return form.verify(token, counter, client, UA, minBits, at).check();
    }

    @Test
    void aSolvedPuzzleIsValidAndNamesItsNonceAndExpiry() {
        FormChallenge.Puzzle p = issue(12);
        assertThat(p.nonceHex()).matches("[0-9a-f]{32}");
        assertThat(p.expiresAt()).isEqualTo(now + 3_600_000);
        FormChallenge.Verdict v = form.verify(p.token(), solve(p), client, UA, 12, now + 1_000);
        assertThat(v.check()).isEqualTo(Check.VALID);
        assertThat(v.nonceHex()).isEqualTo(p.nonceHex());
        assertThat(v.expiresAt()).isEqualTo(p.expiresAt());
        // the same client one address further along its /24 still passes (prefix binding, as for pages)
        assertThat(form.verify(p.token(), solve(p), ip("198.51.100.99"), UA, 12, now).check()).isEqualTo(Check.VALID);
    }

    @Test
    void aForgedOrForeignTokenIsRefused() {
        FormChallenge.Puzzle p = issue(8);
        String counter = solve(p);
        // one character changed in the middle (the signature no longer matches)
        char[] t = p.token().toCharArray();
        int i = t.length / 2;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        assertThat(verify(new String(t), counter, 8, now)).isEqualTo(Check.FORGED);
        // signed by another server's keys
        FormChallenge other = new FormChallenge(new InMemoryKeyRing(clock), "form:abuse", "/abuse");
        FormChallenge.Puzzle foreign = other.issue(client, UA, 8, Duration.ofHours(1), now);
        assertThat(verify(foreign.token(), solve(foreign), 8, now)).isEqualTo(Check.FORGED);
        // another form's puzzle, and a visitor-challenge page token, under the same keys
        FormChallenge.Puzzle appeal = new FormChallenge(ring, "form:appeal", "/appeal").issue(client, UA, 8, Duration.ofHours(1), now);
        assertThat(verify(appeal.token(), solve(appeal), 8, now)).isEqualTo(Check.FORGED);
        ChallengeTokens tokens = new ChallengeTokens(ring);
        String page = tokens.issueProofOfWork("form:abuse", client, UA, 8, Duration.ofMinutes(10), "GET", "/abuse", now);
        long pageCounter = PowSolver.solve(tokens.open(page).nonce(), 8);
        assertThat(verify(page, Long.toString(pageCounter), 8, now)).isEqualTo(Check.FORGED);
        // and a form token does not pass as a page solution for a zone of that name
        assertThat(tokens.verifySolution(p.token(), Long.parseLong(counter), "abuse", client, UA, now)).isNotEqualTo(ChallengeTokens.Check.VALID);
    }

    @Test
    void anExpiredPuzzleIsRefused() {
        FormChallenge.Puzzle p = issue(8);
        String counter = solve(p);
        assertThat(verify(p.token(), counter, 8, p.expiresAt() - 1)).isEqualTo(Check.VALID);
        assertThat(verify(p.token(), counter, 8, p.expiresAt())).isEqualTo(Check.EXPIRED);
    }

    @Test
    void aPuzzleEasierThanRequiredOrAWrongAnswerIsRefused() {
        FormChallenge.Puzzle easy = issue(8);
        assertThat(verify(easy.token(), solve(easy), 16, now)).as("issued at 8 bits, 16 required now").isEqualTo(Check.TOO_EASY);
        FormChallenge.Puzzle p = issue(16);
        byte[] nonce = java.util.HexFormat.of().parseHex(p.nonceHex());
        long wrong = 0;
        while (ProofOfWork.check(nonce, wrong, 16)) wrong++;
        assertThat(verify(p.token(), Long.toString(wrong), 16, now)).isEqualTo(Check.INSUFFICIENT_WORK);
    }

    @Test
    void anotherClientOrBrowserCannotUseThePuzzle() {
        FormChallenge.Puzzle p = issue(8);
        String counter = solve(p);
        assertThat(form.verify(p.token(), counter, ip("203.0.113.5"), UA, 8, now).check()).isEqualTo(Check.WRONG_CLIENT);
        assertThat(form.verify(p.token(), counter, client, "curl/8.5", 8, now).check()).isEqualTo(Check.WRONG_CLIENT);
    }

    @Test
    void missingOrMalformedAnswersAreNamed() {
        FormChallenge.Puzzle p = issue(8);
        assertThat(verify(null, "1", 8, now)).isEqualTo(Check.MISSING);
        assertThat(verify(p.token(), "", 8, now)).isEqualTo(Check.MISSING);
        assertThat(verify(p.token(), "-1", 8, now)).isEqualTo(Check.MALFORMED);
        assertThat(verify(p.token(), "12x", 8, now)).isEqualTo(Check.MALFORMED);
        assertThat(verify(p.token(), "9007199254740992", 8, now)).as("above 2^53-1").isEqualTo(Check.MALFORMED);
        assertThat(verify("not a token", "1", 8, now)).isEqualTo(Check.FORGED);
        for (Check c : Check.values()) assertThat(FormChallenge.explain(c)).isNotBlank();
    }
}
