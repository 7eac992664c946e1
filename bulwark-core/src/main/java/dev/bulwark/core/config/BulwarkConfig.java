package dev.bulwark.core.config;

import java.util.List;
import java.util.Map;

/**
 * The whole configuration of a Bulwark node: listeners and edge-wide settings, the admin
 * listener, named lists shared by every zone's rules, the zones, and (cluster mode) the Redis the
 * fleet shares state through. Immutable; a new version replaces the old one atomically.
 */
public record BulwarkConfig(EdgeConfig edge, AdminConfig admin, Map<String, List<String>> lists, List<ZoneConfig> zones,
                            ClusterConfig cluster) {
    public BulwarkConfig {
        lists = lists == null ? Map.of() : Map.copyOf(lists);
        edge = edge == null ? EdgeConfig.defaults() : edge;
        admin = admin == null ? AdminConfig.defaults() : admin;
        zones = zones == null ? List.of() : List.copyOf(zones);
    }

    /** A single-process node (no cluster section). */
    public BulwarkConfig(EdgeConfig edge, AdminConfig admin, Map<String, List<String>> lists, List<ZoneConfig> zones) {
        this(edge, admin, lists, zones, null);
    }

    public BulwarkConfig withZones(List<ZoneConfig> newZones) { return new BulwarkConfig(edge, admin, lists, newZones, cluster); }

    public BulwarkConfig withCluster(ClusterConfig c) { return new BulwarkConfig(edge, admin, lists, zones, c); }
}
