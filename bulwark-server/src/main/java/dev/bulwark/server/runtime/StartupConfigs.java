package dev.bulwark.server.runtime;

import dev.bulwark.core.config.AdminConfig;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigProblem;
import dev.bulwark.core.config.ConfigValidator;
import dev.bulwark.core.config.EdgeConfig;
import dev.bulwark.core.config.HealthCheckConfig;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.net.HostPort;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Configs built from command-line flags instead of a file: the demo's and the one-origin
 * proxy's. They pass the same validation as a file, so a bad flag gets the same clear
 * error as a bad YAML key.
 *
 * <p>Catch-all: zones match hostnames, and core has no "any host" zone. The proxy zone
 * therefore lists the names a client of a loopback or single-address proxy uses (the
 * listen host, {@code localhost}, {@code 127.0.0.1}) plus any {@code --host} given; a
 * request for another name is answered by the edge as an unknown host, as for any zone.
 */
public final class StartupConfigs {
    /** Hostnames of the demo zone. */
    public static final List<String> DEMO_HOSTS = List.of("demo.localhost", "*.demo.localhost", "localhost", "127.0.0.1");

    private StartupConfigs() {}

    public static BulwarkConfig demo(HostPort http, HostPort https, HostPort admin, String originUrl,
                                     CertificateConfig certificate, String accessLog) throws ConfigException {
        List<ListenerConfig> listeners = List.of(
                ListenerConfig.http("http", http.toString()),
                new ListenerConfig("https", https.toString(), ListenerConfig.Protocol.HTTPS, certificate,
                        ListenerConfig.UnknownSni.DEFAULT_CERTIFICATE));
        OriginPoolConfig pool = new OriginPoolConfig(OriginPoolConfig.Balance.ROUND_ROBIN,
                List.of(new OriginConfig(originUrl, 1)),
                new HealthCheckConfig(true, "/healthz", null, Duration.ofSeconds(5), Duration.ofSeconds(2),
                        null, null, null, null),
                null, null);
        ZoneConfig zone = new ZoneConfig("demo", DEMO_HOSTS, certificate, pool, null, null, null, null, null, null, null);
        return validated("demo", new BulwarkConfig(edge(listeners, accessLog), new AdminConfig(admin.toString()), null, List.of(zone)));
    }

    /** {@code workers}: event-loop threads of the edge, 0 for Netty's default (two per core). */
    public static BulwarkConfig proxy(HostPort listen, String origin, List<String> extraHosts, HostPort admin,
                                      String accessLog, int workers) throws ConfigException {
        Set<String> hosts = new LinkedHashSet<>();
        if (extraHosts.isEmpty()) {
            hosts.add("*"); // like caddy reverse-proxy: whatever name the visitor used
        } else { // restricted: the names given, plus the ones that reach this listener locally
            for (String h : extraHosts) hosts.add(h.toLowerCase(Locale.ROOT));
            String listenHost = listen.host().toLowerCase(Locale.ROOT);
            if (!listenHost.equals("0.0.0.0") && listenHost.indexOf(':') < 0) hosts.add(listenHost);
            hosts.add("localhost");
            hosts.add("127.0.0.1");
        }
        OriginPoolConfig pool = new OriginPoolConfig(null, List.of(new OriginConfig(originUrl(origin), 1)), null, null, null);
        ZoneConfig zone = ZoneConfig.of("proxy", new ArrayList<>(hosts), pool);
        List<ListenerConfig> listeners = List.of(ListenerConfig.http("http", listen.toString()));
        EdgeConfig edge = new EdgeConfig(listeners, null, null, null, accessLog, workers);
        return validated("proxy", new BulwarkConfig(edge, new AdminConfig(admin.toString()), null, List.of(zone)));
    }

    /** Accepts {@code http://host:port}, {@code https://host:port} or a bare {@code host:port} (http). */
    static String originUrl(String to) {
        String s = to.trim();
        if (!s.contains("://")) s = "http://" + s;
        try {
            if ("/".equals(URI.create(s).getRawPath())) s = s.substring(0, s.length() - 1);
        } catch (IllegalArgumentException e) {
            // left as written: validation names the field and the reason
        }
        return s;
    }

    private static EdgeConfig edge(List<ListenerConfig> listeners, String accessLog) {
        return new EdgeConfig(listeners, null, null, null, accessLog, null);
    }

    private static BulwarkConfig validated(String source, BulwarkConfig config) throws ConfigException {
        List<ConfigValidator.Issue> issues = new ConfigValidator().validate(config);
        if (issues.isEmpty()) return config;
        List<ConfigProblem> problems = issues.stream()
                .map(i -> new ConfigProblem("(" + source + " flags)", 0, 0, i.path(), i.reason())).toList();
        throw new ConfigException(problems);
    }
}
