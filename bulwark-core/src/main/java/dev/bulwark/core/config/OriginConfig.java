package dev.bulwark.core.config;

/** One origin server: {@code http://host:port} or {@code https://host:port}, with a weight. */
public record OriginConfig(String url, Integer weight) {
    public OriginConfig {
        weight = weight == null ? 1 : weight;
    }
}
