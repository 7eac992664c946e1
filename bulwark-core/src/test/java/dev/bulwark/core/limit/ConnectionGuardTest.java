package dev.bulwark.core.limit;

import dev.bulwark.core.config.GuardConfig;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.bulwark.core.limit.ConnectionGuard.Admission.*;
import static org.assertj.core.api.Assertions.assertThat;

class ConnectionGuardTest {
    final ManualClock clock = new ManualClock();
    final InMemoryBlocklist blocklist = new InMemoryBlocklist(1024, clock);

    ConnectionGuard guard(int perAddress, int perPrefix, int ratePerAddress, int ratePerPrefix, int global) {
        return new ConnectionGuard(new GuardConfig(perAddress, perPrefix, ratePerAddress, ratePerPrefix, global, Duration.ofMinutes(5)),
                blocklist, SketchShape.SMALL, clock);
    }

    static byte[] ip(int a, int b, int c, int d) { return new byte[]{(byte) a, (byte) b, (byte) c, (byte) d}; }

    @Test
    void capsConcurrentConnectionsPerAddressAndFreesThemOnRelease() {
        ConnectionGuard g = guard(3, 100, 1000, 1000, 1000);
        byte[] a = ip(192, 0, 2, 1);
        for (int i = 0; i < 3; i++) assertThat(g.admit(a)).isEqualTo(ADMIT);
        assertThat(g.admit(a)).isEqualTo(ADDRESS_CONNECTIONS);
        assertThat(g.admit(ip(192, 0, 2, 2))).isEqualTo(ADMIT);
        assertThat(g.openConnections()).isEqualTo(4);
        g.release(a);
        assertThat(g.openConnections(a)).isEqualTo(2);
        assertThat(g.admit(a)).isEqualTo(ADMIT);
    }

    @Test
    void capsConcurrentConnectionsPerPrefix() {
        ConnectionGuard g = guard(10, 4, 1000, 1000, 1000);
        for (int i = 1; i <= 4; i++) assertThat(g.admit(ip(198, 51, 100, i))).isEqualTo(ADMIT);
        assertThat(g.admit(ip(198, 51, 100, 99))).isEqualTo(PREFIX_CONNECTIONS);
        assertThat(g.admit(ip(198, 51, 101, 1))).isEqualTo(ADMIT);
        byte[] v6a = Cidr.literal("2001:db8:0:1::1"), v6b = Cidr.literal("2001:db8:0:1:ffff::2"), v6c = Cidr.literal("2001:db8:0:2::1");
        for (int i = 0; i < 4; i++) assertThat(g.admit(i % 2 == 0 ? v6a : v6b)).isEqualTo(ADMIT);
        assertThat(g.admit(v6a)).isEqualTo(PREFIX_CONNECTIONS);
        assertThat(g.admit(v6c)).isEqualTo(ADMIT);
        g.release(v6b);
        assertThat(g.admit(v6a)).isEqualTo(ADMIT);
    }

    @Test
    void globalCeiling() {
        ConnectionGuard g = guard(10, 10, 1000, 1000, 5);
        for (int i = 1; i <= 5; i++) assertThat(g.admit(ip(10, 0, i, 1))).isEqualTo(ADMIT);
        assertThat(g.admit(ip(10, 0, 9, 1))).isEqualTo(GLOBAL_LIMIT);
        g.release(ip(10, 0, 1, 1));
        assertThat(g.admit(ip(10, 0, 9, 1))).isEqualTo(ADMIT);
    }

    @Test
    void newConnectionRateThenBanForAFlood() {
        ConnectionGuard g = guard(10_000, 100_000, 5, 1000, 100_000);
        byte[] a = ip(203, 0, 113, 7);
        for (int i = 0; i < 5; i++) { assertThat(g.admit(a)).isEqualTo(ADMIT); g.release(a); }
        assertThat(g.admit(a)).isEqualTo(ADDRESS_RATE);
        clock.advance(Duration.ofSeconds(2)); // the window slid past: allowed again
        assertThat(g.admit(a)).isEqualTo(ADMIT);
        g.release(a);
        // a real flood: far above the rate, the address is banned and refused at the first check
        for (int i = 0; i < 30; i++) g.admit(a);
        assertThat(g.admit(a)).isEqualTo(BANNED);
        assertThat(blocklist.list(10)).singleElement().satisfies(b -> {
            assertThat(b.subject()).isEqualTo("203.0.113.7/32");
            assertThat(b.reason()).contains("connection flood");
        });
        clock.advance(Duration.ofMinutes(5));
        assertThat(g.admit(a)).isEqualTo(ADMIT);
    }

    @Test
    void prefixRate() {
        ConnectionGuard g = guard(10_000, 100_000, 1000, 10, 100_000);
        for (int i = 1; i <= 10; i++) { assertThat(g.admit(ip(198, 51, 100, i))).isEqualTo(ADMIT); g.release(ip(198, 51, 100, i)); }
        assertThat(g.admit(ip(198, 51, 100, 200))).isEqualTo(PREFIX_RATE);
        assertThat(g.admit(ip(198, 51, 200, 1))).isEqualTo(ADMIT);
    }

    @Test
    void bannedRangesAreClosedAtOnce() {
        ConnectionGuard g = guard(10, 10, 10, 10, 10);
        blocklist.ban(Cidr.parse("198.51.100.0/24"), Duration.ofMinutes(1), "abuse");
        assertThat(g.admit(ip(198, 51, 100, 42))).isEqualTo(BANNED);
        assertThat(g.admit(ip(198, 51, 101, 42))).isEqualTo(ADMIT);
        assertThat(g.openConnections()).isEqualTo(1);
        assertThat(BANNED.admitted()).isFalse();
        assertThat(ADMIT.admitted()).isTrue();
    }

    @Test
    void countsReturnToZeroAfterManyConnectionsFromManyAddresses() {
        ConnectionGuard g = new ConnectionGuard(new GuardConfig(10, 300, 1000, 100_000, 100_000, null),
                blocklist, SketchShape.DEFAULT, clock);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5000; i++) assertThat(g.admit(ip(10, round, i >>> 8, i))).isEqualTo(ADMIT);
            for (int i = 0; i < 5000; i++) g.release(ip(10, round, i >>> 8, i));
        }
        assertThat(g.openConnections()).isZero();
        assertThat(g.openConnections(ip(10, 0, 0, 1))).isZero();
    }
}
