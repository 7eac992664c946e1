package dev.bulwark.core.config;

import java.util.List;

/** The origins of a zone and how requests are spread over them and checked. */
public record OriginPoolConfig(Balance balance, List<OriginConfig> servers, HealthCheckConfig healthCheck,
                               PassiveHealthConfig passive, Integer maxIdlePerOrigin) {
    public enum Balance { ROUND_ROBIN, WEIGHTED, LEAST_OUTSTANDING }

    public OriginPoolConfig {
        balance = balance == null ? Balance.ROUND_ROBIN : balance;
        servers = servers == null ? List.of() : List.copyOf(servers);
        healthCheck = healthCheck == null ? HealthCheckConfig.disabled() : healthCheck;
        passive = passive == null ? PassiveHealthConfig.defaults() : passive;
        // per origin and per event loop; below the concurrency a loop carries, connections churn
        // (a close and a new connect per request); 512 per loop matches nginx keepalive 512 per worker
        maxIdlePerOrigin = maxIdlePerOrigin == null ? 512 : maxIdlePerOrigin;
    }
}
