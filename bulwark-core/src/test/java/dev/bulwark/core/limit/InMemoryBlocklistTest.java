package dev.bulwark.core.limit;

import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.spi.Blocklist;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryBlocklistTest {
    final ManualClock clock = new ManualClock();
    final InMemoryBlocklist list = new InMemoryBlocklist(4096, clock);

    @Test
    void addressPrefixAndKeyBansWithExpiry() {
        list.ban(Cidr.parse("192.0.2.7"), Duration.ofSeconds(30), "scanner");
        list.ban(Cidr.parse("198.51.100.0/24"), Duration.ofSeconds(60), "flood");
        list.ban(Cidr.parse("2001:db8:1::/48"), Duration.ofSeconds(90), "flood v6");
        list.banKey("token:abc", Duration.ofSeconds(120), "leaked token");

        assertThat(list.isBanned(Cidr.literal("192.0.2.7"))).isTrue();
        assertThat(list.isBanned(Cidr.literal("192.0.2.8"))).isFalse();
        assertThat(list.isBanned(Cidr.literal("198.51.100.250"))).isTrue();
        assertThat(list.isBanned(Cidr.literal("198.51.101.1"))).isFalse();
        assertThat(list.isBanned(Cidr.literal("2001:db8:1:ffff::1"))).isTrue();
        assertThat(list.isBanned(Cidr.literal("2001:db8:2::1"))).isFalse();
        assertThat(list.isKeyBanned(Blocklist.keyHash("token:abc"))).isTrue();
        assertThat(list.isKeyBanned(Blocklist.keyHash("token:abd"))).isFalse();

        assertThat(list.list(10)).extracting(Blocklist.Ban::subject)
                .containsExactly("192.0.2.7/32", "198.51.100.0/24", "2001:db8:1:0:0:0:0:0/48", "token:abc");
        assertThat(list.list(10).getFirst().kind()).isEqualTo(Blocklist.Kind.ADDRESS);
        assertThat(list.list(10).get(1).kind()).isEqualTo(Blocklist.Kind.PREFIX);
        assertThat(list.list(10).getFirst().expiresAtMillis()).isEqualTo(clock.currentTimeMillis() + 30_000);
        assertThat(list.list(2)).hasSize(2);

        clock.advance(Duration.ofSeconds(61));
        assertThat(list.isBanned(Cidr.literal("192.0.2.7"))).isFalse();
        assertThat(list.isBanned(Cidr.literal("198.51.100.250"))).isFalse();
        assertThat(list.isBanned(Cidr.literal("2001:db8:1::5"))).isTrue();
        assertThat(list.list(10)).hasSize(2);
    }

    @Test
    void unbanLiftsTheExactRange() {
        list.ban(Cidr.parse("198.51.100.0/24"), Duration.ofMinutes(1), "flood");
        assertThat(list.unban(Cidr.parse("198.51.100.0/25"))).isFalse();
        assertThat(list.unban(Cidr.parse("198.51.100.9/24"))).isTrue(); // host bits are masked
        assertThat(list.isBanned(Cidr.literal("198.51.100.1"))).isFalse();
        list.banKey("k", Duration.ofMinutes(1), "r");
        assertThat(list.unbanKey("k")).isTrue();
        assertThat(list.list(10)).isEmpty();
    }

    @Test
    void memoryIsBoundedUnderAMillionBans() {
        InMemoryBlocklist small = new InMemoryBlocklist(1024, clock);
        byte[] a = new byte[4];
        for (int i = 0; i < 1_000_000; i++) {
            a[0] = 10; a[1] = (byte) (i >>> 16); a[2] = (byte) (i >>> 8); a[3] = (byte) i;
            small.ban(new Cidr(a, 32), Duration.ofSeconds(60 + i % 60), "flood");
        }
        assertThat(small.list(Integer.MAX_VALUE).size()).isLessThanOrEqualTo(1024);
        assertThat(small.isBanned(new byte[]{10, 15, 66, 63})).isTrue(); // the last ban is there (i = 999,999)
    }
}
