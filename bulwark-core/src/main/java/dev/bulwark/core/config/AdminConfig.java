package dev.bulwark.core.config;

/** The admin listener: metrics, health, reload, and (with a store) the control-plane API. */
public record AdminConfig(String address) {
    public AdminConfig {
        address = address == null ? "127.0.0.1:9090" : address;
    }

    public static AdminConfig defaults() { return new AdminConfig(null); }
}
