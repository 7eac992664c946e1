package dev.bulwark.core.challenge;

import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.bulwark.core.challenge.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small building blocks: Base64url, client fingerprints, the puzzle, per-thread key pads. */
class EncodingTest {
    @Test
    void base64UrlRoundTripsAndMatchesTheJdk() {
        SecureRandom r = new SecureRandom();
        byte[] out = new byte[200];
        for (int len = 0; len < 100; len++) {
            byte[] data = new byte[len];
            r.nextBytes(data);
            String ours = Base64Url.encode(data, 0, len);
            assertThat(ours).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(data));
            assertThat(Base64Url.decode(ours, 0, ours.length(), out)).isEqualTo(len);
            assertThat(java.util.Arrays.copyOf(out, len)).isEqualTo(data);
        }
    }

    @Test
    void base64UrlRefusesNonCanonicalAndForeignText() {
        byte[] out = new byte[16];
        assertThat(Base64Url.decode("AB", 0, 2, out)).isEqualTo(-1);      // leftover bits set: not canonical
        assertThat(Base64Url.decode("AA", 0, 2, out)).isEqualTo(1);
        assertThat(Base64Url.decode("A", 0, 1, out)).isEqualTo(-1);       // impossible length
        assertThat(Base64Url.decode("AA==", 0, 4, out)).isEqualTo(-1);    // padding is not used
        assertThat(Base64Url.decode("a+b/", 0, 4, out)).isEqualTo(-1);    // standard alphabet is not URL-safe
        assertThat(Base64Url.decode("ab\u00e9d", 0, 4, out)).isEqualTo(-1);
        assertThat(Base64Url.decode("A".repeat(40), 0, 40, out)).isEqualTo(-1); // does not fit
        assertThat(Base64Url.decode("xxAAAAyy", 2, 6, out)).isEqualTo(3); // decodes a slice in place
    }

    @Test
    void clientPrefixes() {
        assertThat(Fingerprints.prefix(ip("10.1.2.3"))).isEqualTo(0x0a0102L);
        assertThat(Fingerprints.prefix(ip("10.1.2.255"))).isEqualTo(Fingerprints.prefix(ip("10.1.2.0")));
        assertThat(Fingerprints.prefix(ip("10.1.3.3"))).isNotEqualTo(Fingerprints.prefix(ip("10.1.2.3")));
        assertThat(Fingerprints.prefix(ip("255.255.255.255"))).isEqualTo(0xffffffL);
        assertThat(Fingerprints.family(ip("10.1.2.3"))).isEqualTo(Fingerprints.FAMILY_V4);
        assertThat(Fingerprints.family(ip("::ffff:10.1.2.3"))).isEqualTo(Fingerprints.FAMILY_V4);
        assertThat(Fingerprints.prefix(ip("::ffff:10.1.2.3"))).isEqualTo(0x0a0102L);
        assertThat(Fingerprints.family(ip("2001:db8::1"))).isEqualTo(Fingerprints.FAMILY_V6);
        assertThat(Fingerprints.prefix(ip("2001:db8:aaaa:bbbb:1:2:3:4"))).isEqualTo(0x20010db8aaaabbbbL);
        // IPv6 ::a01:203 is not the IPv4 address 10.1.2.3 even though the low bits agree.
        assertThat(Fingerprints.family(ip("::a01:203"))).isEqualTo(Fingerprints.FAMILY_V6);
    }

    @Test
    void hashesTellValuesApart() {
        assertThat(Fingerprints.hash("shop")).isNotEqualTo(Fingerprints.hash("shoq"));
        assertThat(Fingerprints.hash("")).isNotEqualTo(Fingerprints.hash(null));
        assertThat(Fingerprints.hash("\u0100")).isNotEqualTo(Fingerprints.hash("\u0001"));
        assertThat(Fingerprints.hash("Mozilla/5.0")).isEqualTo(Fingerprints.hash(new String("Mozilla/5.0")));
    }

    @Test
    void leadingZeroBits() {
        assertThat(ProofOfWork.leadingZeroBits(new byte[]{(byte) 0x80, 0})).isZero();
        assertThat(ProofOfWork.leadingZeroBits(new byte[]{0x01, 0})).isEqualTo(7);
        assertThat(ProofOfWork.leadingZeroBits(new byte[]{0, 0x10})).isEqualTo(11);
        assertThat(ProofOfWork.leadingZeroBits(new byte[]{0, 0, 0})).isEqualTo(24);
    }

    @Test
    void solverFindsTheFirstSolutionAndCheckAgrees() {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        long c = PowSolver.solve(nonce, 14);
        assertThat(ProofOfWork.check(nonce, c, 14)).isTrue();
        assertThat(ProofOfWork.leadingZeroBits(ProofOfWork.digest(nonce, c))).isGreaterThanOrEqualTo(14);
        for (long i = 0; i < c; i++) assertThat(ProofOfWork.check(nonce, i, 14)).isFalse();
        assertThat(PowSolver.solve(nonce, 30, 0, 1, 10)).isEqualTo(-1); // budget exhausted
        assertThatThrownBy(() -> PowSolver.solve(nonce, 8, 0, 0, 10)).hasMessageContaining("step");
    }

    @Test
    void moreKeysThanPerThreadSlotsStillVerify() {
        ManualClock clock = new ManualClock();
        InMemoryKeyRing ring = new InMemoryKeyRing(clock, 7);
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            cookies.add(new Clearances(ring).issue("z", ip("192.0.2.1"), "ua", 2, new byte[12], clock.currentTimeMillis(), Duration.ofMinutes(1)));
            if (i < 7) ring.rotate();
        }
        assertThat(ring.keys()).hasSize(8); // current + 7 previous: more keys than a thread caches pads for
        ClearanceVerifier v = new ClearanceVerifier(ring);
        for (int round = 0; round < 3; round++) {
            for (String c : cookies) assertThat(v.verify(c, "z", ip("192.0.2.1"), "ua", clock.currentTimeMillis())).isEqualTo(2);
        }
        ClearanceClaims claims = new ClearanceClaims();
        assertThat(v.verify(cookies.get(0), "z", ip("192.0.2.1"), "ua", clock.currentTimeMillis(), claims)).isEqualTo(2);
        assertThat(claims.keyId()).isEqualTo(ring.keys().get(7).id());
    }
}
