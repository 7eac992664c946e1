package dev.bulwark.edge.support;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.EdgeConfig;
import dev.bulwark.core.config.HttpLimits;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.PassiveHealthConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.config.ZoneLimits;
import dev.bulwark.core.config.ZoneTimeouts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds configs for tests: listeners on 127.0.0.1:0, zones pointing at test origins. */
public final class Configs {
    private final List<ListenerConfig> listeners = new ArrayList<>();
    private final List<ZoneConfig> zones = new ArrayList<>();
    private List<String> trusted = List.of();
    private HttpLimits http = HttpLimits.defaults();

    public static Configs create() { return new Configs(); }

    public Configs http() {
        listeners.add(ListenerConfig.http("http", "127.0.0.1:0"));
        return this;
    }

    public Configs https(String name, CertificateConfig defaultCert, ListenerConfig.UnknownSni unknown) {
        listeners.add(new ListenerConfig(name, "127.0.0.1:0", ListenerConfig.Protocol.HTTPS, defaultCert, unknown));
        return this;
    }

    public Configs trusted(String... cidrs) {
        trusted = List.of(cidrs);
        return this;
    }

    public Configs limits(HttpLimits limits) {
        http = limits;
        return this;
    }

    public Configs zone(String id, String host, String... originUrls) {
        return zone(new ZoneConfig(id, List.of(host), null, pool(originUrls), null, null, null, null, null, null, null));
    }

    public Configs zone(ZoneConfig z) {
        zones.add(z);
        return this;
    }

    public static OriginPoolConfig pool(String... urls) {
        List<OriginConfig> servers = new ArrayList<>();
        for (String u : urls) servers.add(new OriginConfig(u, 1));
        return new OriginPoolConfig(OriginPoolConfig.Balance.ROUND_ROBIN, servers, null,
                new PassiveHealthConfig(100, Duration.ofSeconds(1)), 16);
    }

    public static ZoneConfig zone(String id, List<String> hosts, CertificateConfig tls, OriginPoolConfig pool,
                                  ZoneTimeouts timeouts, ZoneLimits limits) {
        return new ZoneConfig(id, hosts, tls, pool, timeouts, limits, null, null, null, null, null);
    }

    public BulwarkConfig build() {
        return new BulwarkConfig(new EdgeConfig(listeners, trusted, http, null, null, 2), null, null, zones);
    }
}
