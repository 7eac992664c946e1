package dev.bulwark.edge.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerInitializerTest {
    @Test
    void hpackKeepsTheRequestIdAndCookiesOutOfTheCompressionTable() {
        assertThat(ListenerInitializer.neverIndexed("bulwark-request-id", "00ff00ff00ff00ff")).isTrue();
        assertThat(ListenerInitializer.neverIndexed("Bulwark-Request-Id", "00ff00ff00ff00ff")).isTrue();
        assertThat(ListenerInitializer.neverIndexed("set-cookie", "bulwark_clearance=abc")).isTrue();
        assertThat(ListenerInitializer.neverIndexed("content-type", "text/plain")).isFalse();
        assertThat(ListenerInitializer.neverIndexed("via", "2 bulwark")).isFalse();
    }
}
