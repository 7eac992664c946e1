package dev.bulwark.core.config;

import java.util.List;

/**
 * Edge-wide settings: where to listen, which peers may tell us the client address
 * (X-Forwarded-For / PROXY), and the HTTP limits applied before any zone is known.
 */
public record EdgeConfig(List<ListenerConfig> listeners, List<String> trustedProxies, HttpLimits http,
                         GuardConfig guard, String accessLog, Integer workerThreads) {
    public EdgeConfig {
        listeners = listeners == null ? List.of(ListenerConfig.http("http", "127.0.0.1:8080")) : List.copyOf(listeners);
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        http = http == null ? HttpLimits.defaults() : http;
        guard = guard == null ? GuardConfig.defaults() : guard;
        accessLog = accessLog == null ? "stdout" : accessLog;
        workerThreads = workerThreads == null ? 0 : workerThreads;
    }

    public static EdgeConfig defaults() { return new EdgeConfig(null, null, null, null, null, null); }
}
