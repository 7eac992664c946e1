package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static dev.bulwark.core.challenge.Fixtures.UA;
import static dev.bulwark.core.challenge.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryKeyRingTest {
    final ManualClock clock = new ManualClock();

    @Test
    void startsWithOneRandomKeyAndKeepsABoundedNumberOfPreviousKeys() {
        InMemoryKeyRing ring = new InMemoryKeyRing(clock, 2);
        KeyRing.Key first = ring.current();
        assertThat(first.secret()).hasSize(32);
        assertThat(new InMemoryKeyRing(clock).current().secret()).isNotEqualTo(first.secret());
        for (int i = 0; i < 10; i++) ring.rotate();
        assertThat(ring.keys()).hasSize(3);
        assertThat(ring.find(first.id())).isNull();
        assertThat(ring.keys().get(0)).isEqualTo(ring.current());
        assertThat(ring.keys().stream().map(KeyRing.Key::id).distinct()).hasSize(3);
    }

    @Test
    void timedRotation() {
        InMemoryKeyRing ring = new InMemoryKeyRing(clock, 2);
        long now = clock.currentTimeMillis();
        assertThat(ring.rotateIfOlderThan(Duration.ofDays(1), now + 1000)).isFalse();
        clock.advance(Duration.ofDays(1));
        assertThat(ring.rotateIfOlderThan(Duration.ofDays(1), clock.currentTimeMillis())).isTrue();
        assertThat(ring.keys()).hasSize(2);
        assertThat(ring.rotateIfOlderThan(Duration.ofDays(1), clock.currentTimeMillis())).isFalse();
    }

    @Test
    void persistentRingSurvivesARestartAndItsRotations(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/challenge-keys");
        InMemoryKeyRing ring = InMemoryKeyRing.persistent(file, clock, 2);
        String cookie = new Clearances(ring).issue("shop", ip("192.0.2.1"), UA, 2, new byte[12], clock.currentTimeMillis(), Duration.ofMinutes(30));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        ring.rotate();

        InMemoryKeyRing restarted = InMemoryKeyRing.persistent(file, clock, 2);
        assertThat(restarted.keys()).isEqualTo(ring.keys());
        assertThat(new ClearanceVerifier(restarted).verify(cookie, "shop", ip("192.0.2.1"), UA, clock.currentTimeMillis())).isEqualTo(2);
    }

    @Test
    void damagedKeyFileIsReportedWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("challenge-keys");
        Files.writeString(file, "# keys\nzz 1 AAAA\n");
        assertThatThrownBy(() -> InMemoryKeyRing.persistent(file, clock, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("challenge-keys:2");
        Files.writeString(file, "# nothing\n");
        assertThatThrownBy(() -> InMemoryKeyRing.persistent(file, clock, 2)).hasMessageContaining("no challenge keys");
    }

    @Test
    void keysMustBeLongEnoughAndDistinct() {
        assertThatThrownBy(() -> new KeyRing.Key(1, new byte[16], 0)).hasMessageContaining("32");
        KeyRing.Key k = new KeyRing.Key(1, new byte[32], 0);
        assertThatThrownBy(() -> KeySet.of(java.util.List.of(k, new KeyRing.Key(1, new byte[33], 0)))).hasMessageContaining("duplicate");
        assertThat(k.toString()).doesNotContain("secret");
    }
}
