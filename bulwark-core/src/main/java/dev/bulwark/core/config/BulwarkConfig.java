package dev.bulwark.core.config;

import java.util.List;
import java.util.Map;

/**
 * The whole configuration of a Bulwark node: listeners and edge-wide settings, the admin
 * listener, named lists shared by every zone's rules, and the zones. Immutable; a new version replaces the old one atomically.
 */
public record BulwarkConfig(EdgeConfig edge, AdminConfig admin, Map<String, List<String>> lists, List<ZoneConfig> zones) {
    public BulwarkConfig {
        lists = lists == null ? Map.of() : Map.copyOf(lists);
        edge = edge == null ? EdgeConfig.defaults() : edge;
        admin = admin == null ? AdminConfig.defaults() : admin;
        zones = zones == null ? List.of() : List.copyOf(zones);
    }

    public BulwarkConfig withZones(List<ZoneConfig> newZones) { return new BulwarkConfig(edge, admin, lists, newZones); }
}
