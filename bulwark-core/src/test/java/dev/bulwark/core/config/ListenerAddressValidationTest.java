package dev.bulwark.core.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenerAddressValidationTest {
    private static String twoListeners(String a, String b) {
        return """
                edge:
                  listeners:
                    - {name: one, address: "%s"}
                    - {name: two, address: "%s"}
                """.formatted(a, b);
    }

    @Test
    void twoListenersOnOneFixedAddressAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.parse("l.yaml", twoListeners("127.0.0.1:8080", "127.0.0.1:8080"), null))
                .hasMessageContaining("l.yaml:4").hasMessageContaining("is used by two listeners");
    }

    @Test
    void portZeroListenersDoNotClash() {
        assertThatCode(() -> ConfigLoader.parse("l.yaml", twoListeners("127.0.0.1:0", "127.0.0.1:0"), null)).doesNotThrowAnyException();
    }
}
