package dev.bulwark.core.config;

import java.time.Duration;

/**
 * Active health check: an HTTP probe every {@code interval}; an origin is marked down after
 * {@code unhealthyThreshold} consecutive failures and up again after {@code healthyThreshold}
 * consecutive successes. A status in [expectStatusMin, expectStatusMax] is a success.
 */
public record HealthCheckConfig(Boolean enabled, String path, String host, Duration interval, Duration timeout,
                                Integer healthyThreshold, Integer unhealthyThreshold,
                                Integer expectStatusMin, Integer expectStatusMax) {
    public HealthCheckConfig {
        enabled = enabled == null ? path != null : enabled;
        path = path == null ? "/" : path;
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
        healthyThreshold = healthyThreshold == null ? 2 : healthyThreshold;
        unhealthyThreshold = unhealthyThreshold == null ? 3 : unhealthyThreshold;
        expectStatusMin = expectStatusMin == null ? 200 : expectStatusMin;
        expectStatusMax = expectStatusMax == null ? 399 : expectStatusMax;
    }

    public static HealthCheckConfig disabled() {
        return new HealthCheckConfig(false, null, null, null, null, null, null, null, null);
    }
}
