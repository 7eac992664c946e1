package dev.bulwark.edge.policy;

import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.config.FirewallRuleConfig;
import dev.bulwark.core.config.RateLimitRuleConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Zone configs with security policies, and a client that can speak from any 127.0.0.0/8 address. */
final class Zones {
    private Zones() {}

    static ZoneConfig zone(String id, String host, String originUrl, List<FirewallRuleConfig> firewall,
                           Map<String, List<String>> lists, List<RateLimitRuleConfig> limits, ChallengeConfig challenge) {
        return new ZoneConfig(id, List.of(host), null, Configs.pool(originUrl), null, null, firewall, lists, limits, challenge, null);
    }

    static FirewallRuleConfig rule(String id, String expression, FirewallRuleConfig.Action action) {
        return new FirewallRuleConfig(id, null, expression, action, null, null);
    }

    static FirewallRuleConfig logOnly(String id, String expression, FirewallRuleConfig.Action action) {
        return new FirewallRuleConfig(id, null, expression, action, null, FirewallRuleConfig.Mode.LOG);
    }

    static FirewallRuleConfig skip(String id, String expression, String... phases) {
        return new FirewallRuleConfig(id, null, expression, FirewallRuleConfig.Action.SKIP, List.of(phases), null);
    }

    static RateLimitRuleConfig limit(String id, String expression, long requests, Duration period,
                                     RateLimitRuleConfig.Action action, Duration mitigation) {
        return new RateLimitRuleConfig(id, null, expression, List.of("ip.src"), period, requests, action, mitigation, null);
    }

    /** Challenge settings with a small difficulty, so a test solves in milliseconds. */
    static ChallengeConfig challenge(boolean underAttack) {
        return new ChallengeConfig(8, null, underAttack, null, null, null, null, 8, null, Duration.ofSeconds(5), null);
    }

    /** A connection to the edge from {@code source} (any loopback address, e.g. 127.0.0.2). */
    static RawHttp from(String source, InetSocketAddress edge) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(edge, 5_000);
        return new RawHttp(s);
    }

    static RawHttp.Response get(InetSocketAddress edge, String host, String path, String... headers) throws IOException {
        return exchange(edge, "127.0.0.1", "GET", host, path, headers);
    }

    static RawHttp.Response exchange(InetSocketAddress edge, String source, String method, String host, String path,
                                     String... headers) throws IOException {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        for (String h : headers) sb.append(h).append("\r\n");
        if (method.equals("POST")) sb.append("Content-Length: 0\r\n");
        sb.append("\r\n");
        try (RawHttp c = from(source, edge)) {
            return c.send(sb.toString()).read();
        }
    }
}
