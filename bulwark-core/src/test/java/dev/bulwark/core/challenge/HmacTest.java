package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class HmacTest {
    @Test
    void matchesTheJdkHmacForManyKeysAndLengths() throws Exception {
        SecureRandom r = new SecureRandom();
        for (int keyLen : new int[]{32, 64, 65, 100}) {
            byte[] secret = new byte[keyLen];
            r.nextBytes(secret);
            KeyRing.Key key = new KeyRing.Key(r.nextInt(), secret, 1);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(secret, "HmacSHA256"));
            for (int len : new int[]{0, 1, 55, 56, 63, 64, 65, 92, 500}) {
                byte[] data = new byte[len + 40];
                r.nextBytes(data);
                byte[] ours = new byte[32];
                Hmac.local().sign(key, data, 3, len, ours, 0);
                byte[] expected = jdk.doFinal(Arrays.copyOfRange(data, 3, 3 + len));
                assertThat(ours).as("key %d bytes, data %d bytes", keyLen, len).isEqualTo(expected);
            }
        }
    }

    @Test
    void rfc4231TestCase2() {
        // RFC 4231 test case 2 uses a 4-byte key; pad it the same way HMAC does (zeros) to reach our 32-byte minimum.
        byte[] key = Arrays.copyOf("Jefe".getBytes(), 32);
        byte[] data = "what do ya want for nothing?".getBytes();
        byte[] out = new byte[32];
        Hmac.local().sign(new KeyRing.Key(1, key, 0), data, 0, data.length, out, 0);
        assertThat(HexFormat.hex(out)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void verifyRejectsAnyFlippedTagBit() {
        KeyRing.Key key = new KeyRing.Key(7, new byte[32], 0);
        byte[] buf = new byte[10 + 32];
        Hmac.local().sign(key, buf, 0, 10, buf, 10);
        assertThat(Hmac.local().verify(key, buf, 0, 10, 10)).isTrue();
        for (int bit = 0; bit < 32 * 8; bit++) {
            buf[10 + bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(Hmac.local().verify(key, buf, 0, 10, 10)).isFalse();
            buf[10 + bit / 8] ^= (byte) (1 << (bit % 8));
        }
    }

    static final class HexFormat {
        static String hex(byte[] b) { return java.util.HexFormat.of().formatHex(b); }
    }
}
