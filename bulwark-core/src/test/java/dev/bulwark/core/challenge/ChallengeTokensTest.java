package dev.bulwark.core.challenge;

import dev.bulwark.core.challenge.ChallengeTokens.Check;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static dev.bulwark.core.challenge.Fixtures.UA;
import static dev.bulwark.core.challenge.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChallengeTokensTest {
    final ManualClock clock = new ManualClock();
    final InMemoryKeyRing ring = new InMemoryKeyRing(clock);
    final ChallengeTokens tokens = new ChallengeTokens(ring);
    final InetAddress client = ip("198.51.100.23");
    final long now = clock.currentTimeMillis();

    String issue(int difficulty) {
        return tokens.issueProofOfWork("shop", client, UA, difficulty, Duration.ofMinutes(10), "GET", "/cart?item=7&x=%20", now);
    }

    long solve(String token) {
        ChallengeToken t = tokens.open(token);
        long counter = PowSolver.solve(t.nonce(), t.difficulty());
        assertThat(counter).isNotNegative();
        return counter;
    }

    @Test
    void solvedTokenIsValidAndCarriesItsClaims() {
        String token = issue(12);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        ChallengeToken t = tokens.open(token);
        assertThat(t.kind()).isEqualTo(ChallengeToken.Kind.PROOF_OF_WORK);
        assertThat(t.difficulty()).isEqualTo(12);
        assertThat(t.method()).isEqualTo("GET");
        assertThat(t.target()).isEqualTo("/cart?item=7&x=%20");
        assertThat(t.expiresAt()).isEqualTo(now + 600_000);
        assertThat(t.keyId()).isEqualTo(ring.current().id());
        assertThat(tokens.verifySolution(token, solve(token), "shop", client, UA, now + 1000)).isEqualTo(Check.VALID);
    }

    @Test
    void solutionCheckAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        String token = issue(8);
        long counter = solve(token);
        int valid = 0;
        for (int i = 0; i < 20_000; i++) if (tokens.verifySolution(token, counter, "shop", client, UA, now) == Check.VALID) valid++;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++) if (tokens.verifySolution(token, counter, "shop", client, UA, now) == Check.VALID) valid++;
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(valid).isEqualTo(40_000);
        assertThat(allocated).as("bytes allocated by 20,000 solution checks").isLessThan(20_000);
    }

    @Test
    void nonceCanBeReadFromTheTokenText() {
        String token = issue(8);
        assertThat(ChallengeTokens.nonceHex(token)).isEqualTo(tokens.open(token).nonceHex()).hasSize(32);
        assertThat(ChallengeTokens.nonceHex("short")).isNull();
        assertThat(ChallengeTokens.nonceHex(null)).isNull();
    }

    @Test
    void tokensAreUniqueAndNeedNoServerState() {
        assertThat(issue(8)).isNotEqualTo(issue(8));
        // A second, independent verifier sharing only the key ring accepts the solution.
        String token = issue(8);
        assertThat(new ChallengeTokens(ring).verifySolution(token, solve(token), "shop", client, UA, now)).isEqualTo(Check.VALID);
    }

    @Test
    void insufficientWorkIsRefused() {
        String token = issue(16);
        long good = solve(token);
        ChallengeToken t = tokens.open(token);
        long bad = good;
        for (long c = 0; c < 1000; c++) {
            if (!ProofOfWork.check(t.nonce(), c, 16)) { bad = c; break; }
        }
        assertThat(tokens.verifySolution(token, bad, "shop", client, UA, now)).isEqualTo(Check.INSUFFICIENT_WORK);
    }

    @Test
    void forgedTokensAreRefused() {
        String token = issue(8);
        long counter = solve(token);
        // Every single-character change is caught.
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String forged = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertThat(tokens.verifySolution(forged, counter, "shop", client, UA, now)).as("position %d", i).isNotEqualTo(Check.VALID);
        }
        assertThat(tokens.verifySolution(token.substring(0, token.length() - 4), counter, "shop", client, UA, now)).isEqualTo(Check.FORGED);
        assertThat(tokens.verifySolution("", counter, "shop", client, UA, now)).isEqualTo(Check.FORGED);
        assertThat(tokens.verifySolution("not base64 !", counter, "shop", client, UA, now)).isEqualTo(Check.FORGED);
        assertThat(tokens.verifySolution(null, counter, "shop", client, UA, now)).isEqualTo(Check.FORGED);
        // Signed by another deployment's key.
        ChallengeTokens foreign = new ChallengeTokens(new InMemoryKeyRing(clock));
        String other = foreign.issueProofOfWork("shop", client, UA, 8, Duration.ofMinutes(1), "GET", "/", now);
        assertThat(tokens.verifySolution(other, solveWith(foreign, other), "shop", client, UA, now)).isEqualTo(Check.FORGED);
        assertThat(tokens.open(other)).isNull();
    }

    private static long solveWith(ChallengeTokens t, String token) {
        ChallengeToken o = t.open(token);
        return PowSolver.solve(o.nonce(), o.difficulty());
    }

    @Test
    void expiredTokenIsRefused() {
        String token = issue(8);
        long counter = solve(token);
        assertThat(tokens.verifySolution(token, counter, "shop", client, UA, now + 599_999)).isEqualTo(Check.VALID);
        assertThat(tokens.verifySolution(token, counter, "shop", client, UA, now + 600_000)).isEqualTo(Check.EXPIRED);
    }

    @Test
    void solutionIsBoundToZonePrefixAndUserAgent() {
        String token = issue(8);
        long counter = solve(token);
        assertThat(tokens.verifySolution(token, counter, "blog", client, UA, now)).isEqualTo(Check.WRONG_ZONE);
        assertThat(tokens.verifySolution(token, counter, "shop", ip("198.51.101.23"), UA, now)).isEqualTo(Check.WRONG_CLIENT);
        assertThat(tokens.verifySolution(token, counter, "shop", ip("203.0.113.23"), UA, now)).isEqualTo(Check.WRONG_CLIENT);
        assertThat(tokens.verifySolution(token, counter, "shop", client, UA + " Bot", now)).isEqualTo(Check.WRONG_AGENT);
        assertThat(tokens.verifySolution(token, counter, "shop", client, null, now)).isEqualTo(Check.WRONG_AGENT);
        // Another address in the same /24 (carrier NAT, DHCP renewal) keeps working.
        assertThat(tokens.verifySolution(token, counter, "shop", ip("198.51.100.200"), UA, now)).isEqualTo(Check.VALID);
        // The same address written as IPv4-mapped IPv6 is the same client.
        assertThat(tokens.verifySolution(token, counter, "shop", ip("::ffff:198.51.100.9"), UA, now)).isEqualTo(Check.VALID);
    }

    @Test
    void ipv6ClientsAreBoundToTheirSlash64() {
        InetAddress v6 = ip("2001:db8:1:2:aaaa::1");
        String token = tokens.issueProofOfWork("shop", v6, UA, 8, Duration.ofMinutes(1), "GET", "/", now);
        long counter = solve(token);
        assertThat(tokens.verifySolution(token, counter, "shop", ip("2001:db8:1:2:ffff:1:2:3"), UA, now)).isEqualTo(Check.VALID);
        assertThat(tokens.verifySolution(token, counter, "shop", ip("2001:db8:1:3::1"), UA, now)).isEqualTo(Check.WRONG_CLIENT);
        assertThat(tokens.verifySolution(token, counter, "shop", client, UA, now)).isEqualTo(Check.WRONG_CLIENT);
    }

    @Test
    void waitTokenIsRedeemableOnlyAfterTheWaitAndNeverAsProofOfWork() {
        String wait = tokens.issueWait("shop", client, UA, Duration.ofSeconds(5), Duration.ofMinutes(10), "GET", "/a", now);
        assertThat(tokens.verifyWait(wait, "shop", client, UA, now + 4_999)).isEqualTo(Check.TOO_EARLY);
        assertThat(tokens.verifyWait(wait, "shop", client, UA, now + 5_000)).isEqualTo(Check.VALID);
        assertThat(tokens.verifyWait(wait, "shop", client, UA, now + 5_000 + 600_000)).isEqualTo(Check.EXPIRED);
        assertThat(tokens.verifyWait(wait, "shop", ip("192.0.2.1"), UA, now + 6_000)).isEqualTo(Check.WRONG_CLIENT);
        assertThat(tokens.open(wait).kind()).isEqualTo(ChallengeToken.Kind.WAIT);
        // The kinds cannot be swapped: a wait token is no proof of work, and the other way round.
        assertThat(tokens.verifySolution(wait, 0, "shop", client, UA, now + 6_000)).isEqualTo(Check.FORGED);
        assertThat(tokens.verifyWait(issue(8), "shop", client, UA, now)).isEqualTo(Check.FORGED);
    }

    @Test
    void returnTargetNeverLeavesTheSite() {
        assertThat(ChallengeTokens.safeReturnTarget("/a/b?c=d")).isEqualTo("/a/b?c=d");
        assertThat(ChallengeTokens.safeReturnTarget("//evil.example/x")).isEqualTo("/");
        assertThat(ChallengeTokens.safeReturnTarget("/\\evil.example")).isEqualTo("/");
        assertThat(ChallengeTokens.safeReturnTarget("https://evil.example/")).isEqualTo("/");
        assertThat(ChallengeTokens.safeReturnTarget("/a\r\nSet-Cookie: x=y")).isEqualTo("/");
        assertThat(ChallengeTokens.safeReturnTarget(null)).isEqualTo("/");
        String longQuery = "/search?q=" + "x".repeat(5000);
        assertThat(ChallengeTokens.safeReturnTarget(longQuery)).isEqualTo("/search");
        assertThat(ChallengeTokens.safeReturnTarget("/" + "p".repeat(5000))).isEqualTo("/");
    }

    @Test
    void onlyGetAndHeadAndSaneDifficultiesAreIssued() {
        assertThatThrownBy(() -> tokens.issueProofOfWork("shop", client, UA, 8, Duration.ofMinutes(1), "POST", "/", now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("POST");
        assertThatThrownBy(() -> issue(0)).hasMessageContaining("difficulty");
        assertThatThrownBy(() -> issue(33)).hasMessageContaining("difficulty");
        String head = tokens.issueProofOfWork("shop", client, UA, 8, Duration.ofMinutes(1), "HEAD", "/x", now);
        assertThat(tokens.open(head).method()).isEqualTo("HEAD");
    }

    @Test
    void tokenSignedBeforeRotationStaysValid() {
        String token = issue(8);
        long counter = solve(token);
        ring.rotate();
        assertThat(tokens.verifySolution(token, counter, "shop", client, UA, now)).isEqualTo(Check.VALID);
        ring.rotate();
        ring.rotate(); // the signing key has now been retired (two previous keys kept)
        assertThat(tokens.verifySolution(token, counter, "shop", client, UA, now)).isEqualTo(Check.FORGED);
    }
}
