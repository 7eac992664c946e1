package dev.bulwark.edge.upstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {
    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
    void idempotentMethodsRetryWhenNothingWasSent(String method) {
        assertThat(RetryPolicy.mayRetry(method, false, 1)).isTrue();
        assertThat(RetryPolicy.mayRetry(method, true, 1)).as("bytes reached the origin").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PATCH", "CONNECT", "get", "PROPFIND", ""})
    void otherMethodsNeverRetry(String method) {
        assertThat(RetryPolicy.mayRetry(method, false, 1)).isFalse();
    }

    @Test
    void attemptsAreBounded() {
        assertThat(RetryPolicy.mayRetry("GET", false, 0)).isFalse();
        assertThat(RetryPolicy.mayRetry("GET", false, 2)).isTrue();
        assertThat(RetryPolicy.mayRetry("GET", false, RetryPolicy.MAX_ATTEMPTS)).isFalse();
        assertThat(RetryPolicy.mayRetry(null, false, 1)).isFalse();
    }

    @Test
    void atMostOneRetryPerOtherOrigin() {
        assertThat(RetryPolicy.mayRetry("GET", false, 1, 1)).as("no other origin").isFalse();
        assertThat(RetryPolicy.mayRetry("GET", false, 1, 2)).isTrue();
        assertThat(RetryPolicy.mayRetry("GET", false, 2, 2)).isFalse();
        assertThat(RetryPolicy.mayRetry("GET", false, 2, 5)).isTrue();
    }
}
