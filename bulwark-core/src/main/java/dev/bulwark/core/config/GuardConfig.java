package dev.bulwark.core.config;

import java.time.Duration;

/**
 * Edge-wide connection guard, applied at accept before any byte is read: caps on
 * concurrent and new connections per address and per prefix (IPv4 /24, IPv6 /64), a
 * global ceiling, and how long an address that floods (connections here, HTTP/2 frames in the
 * codec) stays banned. The slow-client deadlines are in {@link HttpLimits}.
 */
public record GuardConfig(Integer maxConnectionsPerAddress, Integer maxConnectionsPerPrefix,
                          Integer newConnectionsPerSecondPerAddress, Integer newConnectionsPerSecondPerPrefix,
                          Integer maxConnections, Duration banDuration) {
    public GuardConfig {
        maxConnectionsPerAddress = maxConnectionsPerAddress == null ? 256 : maxConnectionsPerAddress;
        maxConnectionsPerPrefix = maxConnectionsPerPrefix == null ? 2048 : maxConnectionsPerPrefix;
        newConnectionsPerSecondPerAddress = newConnectionsPerSecondPerAddress == null ? 200 : newConnectionsPerSecondPerAddress;
        newConnectionsPerSecondPerPrefix = newConnectionsPerSecondPerPrefix == null ? 2000 : newConnectionsPerSecondPerPrefix;
        maxConnections = maxConnections == null ? 50_000 : maxConnections;
        banDuration = banDuration == null ? Duration.ofMinutes(10) : banDuration;
    }

    public static GuardConfig defaults() { return new GuardConfig(null, null, null, null, null, null); }
}
