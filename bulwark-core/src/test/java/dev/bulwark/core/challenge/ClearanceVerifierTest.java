package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static dev.bulwark.core.challenge.Fixtures.UA;
import static dev.bulwark.core.challenge.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClearanceVerifierTest {
    final ManualClock clock = new ManualClock();
    final InMemoryKeyRing ring = new InMemoryKeyRing(clock);
    final Clearances clearances = new Clearances(ring);
    final ClearanceVerifier verifier = new ClearanceVerifier(ring);
    final InetAddress client = ip("192.0.2.10");
    final byte[] id = Clearances.idFor(new byte[16]);
    final long now = clock.currentTimeMillis();

    String cookie(int level) {
        return clearances.issue("shop", client, UA, level, id, now, Duration.ofMinutes(30));
    }

    @Test
    void validCookieGrantsItsLevelAndFillsTheClaims() {
        String c = cookie(Clearances.LEVEL_PROOF_OF_WORK);
        assertThat(c).hasSize(112).matches("[A-Za-z0-9_-]+");
        ClearanceClaims claims = new ClearanceClaims();
        assertThat(verifier.verify(c, "shop", client, UA, now + 60_000, claims)).isEqualTo(2);
        assertThat(claims.level()).isEqualTo(2);
        assertThat(claims.idBytes()).isEqualTo(id);
        assertThat(claims.id()).hasSize(16);
        assertThat(claims.issuedAt()).isEqualTo(now);
        assertThat(claims.expiresAt()).isEqualTo(now + 1_800_000);
        assertThat(claims.keyId()).isEqualTo(ring.current().id());
    }

    @Test
    void expiredCookieGivesNoClearance() {
        String c = cookie(2);
        assertThat(verifier.verify(c, "shop", client, UA, now + 1_799_999)).isEqualTo(2);
        ClearanceClaims claims = new ClearanceClaims();
        assertThat(verifier.verify(c, "shop", client, UA, now + 1_800_000, claims)).isZero();
        assertThat(claims.level()).isZero();
        assertThat(claims.id()).isNull();
    }

    @Test
    void foreignCookiesGiveNoClearance() {
        String c = cookie(2);
        assertThat(verifier.verify(c, "blog", client, UA, now)).isZero();
        assertThat(verifier.verify(c, "shop", ip("192.0.3.10"), UA, now)).isZero();
        assertThat(verifier.verify(c, "shop", ip("2001:db8::1"), UA, now)).isZero();
        assertThat(verifier.verify(c, "shop", client, "curl/8.0", now)).isZero();
        assertThat(verifier.verify(c, "shop", ip("192.0.2.250"), UA, now)).isEqualTo(2); // same /24
        ClearanceVerifier otherDeployment = new ClearanceVerifier(new InMemoryKeyRing(clock));
        assertThat(otherDeployment.verify(c, "shop", client, UA, now)).isZero();
    }

    @Test
    void tamperedCookiesGiveNoClearanceNeverAnError() {
        String c = cookie(1);
        for (int i = 0; i < c.length(); i++) {
            for (char r : new char[]{'A', 'z', '-', '.', '%', 'é'}) {
                if (c.charAt(i) == r) continue;
                String t = c.substring(0, i) + r + c.substring(i + 1);
                assertThat(verifier.verify(t, "shop", client, UA, now)).as("char %d -> %s", i, r).isZero();
            }
        }
        for (String junk : new String[]{"", "x", c + "A", c.substring(1), c + c, "=".repeat(112), null}) {
            assertThat(verifier.verify(junk, "shop", client, UA, now)).isZero();
        }
        assertThat(verifier.verify(c, "shop", null, UA, now)).isZero();
        assertThat(verifier.verify(c, null, client, UA, now)).isZero();
    }

    @Test
    void aChallengeTokenIsNotACookie() {
        ChallengeTokens tokens = new ChallengeTokens(ring);
        String token = tokens.issueProofOfWork("shop", client, UA, 8, Duration.ofMinutes(1), "GET", "/", now);
        assertThat(verifier.verify(token, "shop", client, UA, now)).isZero();
        assertThat(tokens.open(cookie(2))).isNull();
    }

    @Test
    void findsTheCookieInsideACookieHeader() {
        String c = cookie(2);
        String name = Clearances.COOKIE_NAME;
        assertThat(verifier.verifyCookieHeader(name + "=" + c, "shop", client, UA, now, null)).isEqualTo(2);
        assertThat(verifier.verifyCookieHeader("a=1; " + name + "=" + c + "; b=2", "shop", client, UA, now, null)).isEqualTo(2);
        assertThat(verifier.verifyCookieHeader("a=1;" + name + "=" + c, "shop", client, UA, now, null)).isEqualTo(2);
        // A stale duplicate before the good one does not hide it.
        assertThat(verifier.verifyCookieHeader(name + "=stale; " + name + "=" + c, "shop", client, UA, now, null)).isEqualTo(2);
        // RFC 6265 allows a quoted value; RFC 2965 clients add $-attributes.
        assertThat(verifier.verifyCookieHeader(name + "=\"" + c + "\";$Path=\"/\"", "shop", client, UA, now, null)).isEqualTo(2);
        assertThat(verifier.verifyCookieHeader(name + "=\"" + c, "shop", client, UA, now, null)).isZero();
        // Similar names are other cookies.
        assertThat(verifier.verifyCookieHeader("x" + name + "=" + c, "shop", client, UA, now, null)).isZero();
        assertThat(verifier.verifyCookieHeader(new StringBuilder("a=1; ").append(name).append('=').append(c), "shop", client, UA, now, null))
                .isEqualTo(2);
        assertThat(verifier.verifyCookieHeader(name + "=" + c.substring(0, 50) + ";" + name + "=" + c, "shop", client, UA, now, null)).isEqualTo(2);
        assertThat(verifier.verifyCookieHeader(name, "shop", client, UA, now, null)).isZero();
        assertThat(verifier.verifyCookieHeader(";;; ;", "shop", client, UA, now, null)).isZero();
        assertThat(verifier.verifyCookieHeader(null, "shop", client, UA, now, null)).isZero();
        assertThat(verifier.verifyCookieHeader("", "shop", client, UA, now, null)).isZero();
    }

    @Test
    void rotationKeepsPreviousCookiesAndRetiredKeysAreRefused() {
        String before = cookie(2);
        ring.rotate();
        String after = cookie(2);
        assertThat(verifier.verify(before, "shop", client, UA, now)).isEqualTo(2);
        assertThat(verifier.verify(after, "shop", client, UA, now)).isEqualTo(2);
        ring.rotate();
        assertThat(verifier.verify(before, "shop", client, UA, now)).isEqualTo(2);
        ring.rotate(); // DEFAULT_PREVIOUS = 2: the first key leaves the ring
        assertThat(verifier.verify(before, "shop", client, UA, now)).isZero();
        assertThat(verifier.verify(after, "shop", client, UA, now)).isEqualTo(2);
    }

    @Test
    void keyRemovedFromARingIsRefused() {
        KeyRing.Key a = KeySet.newKey(new java.security.SecureRandom(), now, null);
        KeyRing.Key b = KeySet.newKey(new java.security.SecureRandom(), now, null);
        InMemoryKeyRing both = InMemoryKeyRing.of(clock, 2, List.of(a, b));
        String signedByA = new Clearances(both).issue("shop", client, UA, 2, id, now, Duration.ofMinutes(5));
        assertThat(new ClearanceVerifier(both).verify(signedByA, "shop", client, UA, now)).isEqualTo(2);
        InMemoryKeyRing onlyB = InMemoryKeyRing.of(clock, 2, List.of(b));
        assertThat(new ClearanceVerifier(onlyB).verify(signedByA, "shop", client, UA, now)).isZero();
    }

    @Test
    void expiredButGenuineCookieStillNamesItsIdForRefresh() {
        String c = cookie(2);
        ClearanceClaims claims = new ClearanceClaims();
        String header = Clearances.COOKIE_NAME + "=" + c;
        assertThat(verifier.verifyCookieHeader(header, "shop", client, UA, now + 3_600_000, claims)).isZero();
        assertThat(verifier.genuineIgnoringExpiry(header, "shop", client, UA, claims)).isEqualTo(2);
        assertThat(claims.idBytes()).isEqualTo(id);
        assertThat(verifier.genuineIgnoringExpiry(header, "shop", client, "other", claims)).isZero();
    }

    @Test
    void issuingRejectsBadInput() {
        assertThatThrownBy(() -> clearances.issue("shop", client, UA, 0, id, now, Duration.ofMinutes(1))).hasMessageContaining("level");
        assertThatThrownBy(() -> clearances.issue("shop", client, UA, 2, new byte[3], now, Duration.ofMinutes(1))).hasMessageContaining("id");
        assertThatThrownBy(() -> clearances.issue("shop", client, UA, 2, id, now, Duration.ZERO)).hasMessageContaining("lifetime");
    }

    @Test
    void setCookieAttributes() {
        assertThat(Clearances.setCookie("v", Duration.ofMinutes(30), true))
                .isEqualTo("__bulwark_clearance=v; Max-Age=1800; Path=/; HttpOnly; SameSite=Lax; Secure");
        assertThat(Clearances.setCookie("v", Duration.ofMinutes(30), false)).doesNotContain("Secure").contains("HttpOnly", "SameSite=Lax", "Path=/");
    }

    @Test
    void verifyingWhileAnotherThreadRotatesNeverRefusesAKeptKey() throws Exception {
        InMemoryKeyRing wide = new InMemoryKeyRing(clock, 64);
        Clearances issuer = new Clearances(wide);
        ClearanceVerifier v = new ClearanceVerifier(wide);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.concurrent.atomic.AtomicBoolean rotating = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.List<java.util.concurrent.Future<Integer>> checks = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                checks.add(pool.submit(() -> {
                    int refused = 0;
                    for (int i = 0; i < 1_000; i++) {
                        String c = issuer.issue("shop", client, UA, 2, id, now, Duration.ofMinutes(5));
                        if (v.verify(c, "shop", client, UA, now) != 2) refused++;
                    }
                    return refused;
                }));
            }
            java.util.concurrent.Future<?> rotator = pool.submit(() -> {
                for (int i = 0; i < 40 && rotating.get(); i++) {
                    wide.rotate();
                    Thread.sleep(2);
                }
                return null;
            });
            for (java.util.concurrent.Future<Integer> f : checks) assertThat(f.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
            rotating.set(false);
            rotator.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void verificationAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String header = "theme=dark; " + Clearances.COOKIE_NAME + "=" + cookie(2) + "; lang=en";
        ClearanceClaims claims = new ClearanceClaims();
        int sum = 0;
        for (int i = 0; i < 20_000; i++) sum += verifier.verifyCookieHeader(header, "shop", client, UA, now, claims);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++) sum += verifier.verifyCookieHeader(header, "shop", client, UA, now, claims);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isEqualTo(80_000);
        // Zero in steady state; a little slack for the JIT swapping code in during the measurement.
        assertThat(allocated).as("bytes allocated by 20,000 verifications").isLessThan(20_000);
    }
}
