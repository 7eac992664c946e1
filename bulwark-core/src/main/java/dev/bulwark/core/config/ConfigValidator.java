package dev.bulwark.core.config;

import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.core.rules.CompiledRules;
import dev.bulwark.core.rules.GlobalLists;
import dev.bulwark.core.rules.NamedLists;
import dev.bulwark.core.rules.RuleProblem;
import dev.bulwark.core.rules.RulesException;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Semantic checks a YAML parser cannot do: addresses, URLs, hostnames unique across zones,
 * thresholds in range, certificate files readable. Each issue carries the config path it
 * concerns; {@link ConfigLoader} turns paths into file positions.
 */
public final class ConfigValidator {
    /**
     * One semantic problem at a config path such as {@code zones[0].origins.servers[1].url}.
     * For a problem inside a rule expression, {@code valueLine}/{@code valueColumn} give its
     * 1-based position within the expression (0 otherwise).
     */
    public record Issue(String path, String reason, int valueLine, int valueColumn) {
        public Issue(String path, String reason) { this(path, reason, 0, 0); }
    }

    private static final Pattern HOSTNAME = Pattern.compile(
            "^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");
    private static final Pattern ZONE_ID = Pattern.compile("^[a-z0-9][a-z0-9_.-]{0,62}$");

    private final List<Issue> issues = new ArrayList<>();

    public List<Issue> validate(BulwarkConfig c) {
        issues.clear();
        validateEdge(c.edge());
        address("admin.address", c.admin().address());
        if (c.cluster() != null) validateCluster(c.cluster());
        Map<String, String> hostOwner = new HashMap<>();
        Set<String> ids = new HashSet<>();
        GlobalLists globalLists = new GlobalLists(c.lists());
        for (int i = 0; i < c.zones().size(); i++) {
            validateZone("zones[" + i + "]", c.zones().get(i), ids, hostOwner);
            firewall("zones[" + i + "]", c.zones().get(i), globalLists);
        }
        return List.copyOf(issues);
    }

    private void validateEdge(EdgeConfig e) {
        if (e.listeners().isEmpty()) issue("edge.listeners", "at least one listener is required");
        Set<String> names = new HashSet<>();
        Set<String> addrs = new HashSet<>();
        for (int i = 0; i < e.listeners().size(); i++) {
            String p = "edge.listeners[" + i + "]";
            ListenerConfig l = e.listeners().get(i);
            if (!names.add(l.name())) issue(p + ".name", "duplicate listener name '" + l.name() + "'");
            // port 0 asks the OS for a fresh port each time, so two such listeners never clash
            if (address(p + ".address", l.address()) && HostPort.parse(l.address()).port() != 0 && !addrs.add(l.address().trim())) {
                issue(p + ".address", "address " + l.address() + " is used by two listeners");
            }
            if (l.protocol() != ListenerConfig.Protocol.HTTPS && l.defaultCertificate() != null) {
                issue(p + ".default_certificate", "only https listeners take a certificate");
            }
            certificate(p + ".default_certificate", l.defaultCertificate());
        }
        for (int i = 0; i < e.trustedProxies().size(); i++) {
            try {
                Cidr.parse(e.trustedProxies().get(i));
            } catch (IllegalArgumentException ex) {
                issue("edge.trusted_proxies[" + i + "]", ex.getMessage());
            }
        }
        HttpLimits h = e.http();
        if (h.maxHeaderBytes() < 1024) issue("edge.http.max_header_bytes", "must be at least 1KiB");
        if (h.maxRequestLineBytes() < 256) issue("edge.http.max_request_line_bytes", "must be at least 256");
        if (h.maxHeaders() < 1) issue("edge.http.max_headers", "must be at least 1");
        if (h.maxConcurrentStreams() < 1) issue("edge.http.max_concurrent_streams", "must be at least 1");
        positive("edge.http.header_timeout", h.headerTimeout());
        positive("edge.http.idle_timeout", h.idleTimeout());
        LimitsValidation.slowClients("edge.http", h, this::issue);
        if (e.workerThreads() < 0) issue("edge.worker_threads", "must be 0 (automatic) or more");
        LimitsValidation.guard("edge.guard", e.guard(), this::issue);
    }

    private void validateZone(String p, ZoneConfig z, Set<String> ids, Map<String, String> hostOwner) {
        if (z.id() == null || !ZONE_ID.matcher(z.id()).matches()) {
            issue(p + ".id", "zone id must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
        } else if (!ids.add(z.id())) {
            issue(p + ".id", "duplicate zone id '" + z.id() + "'");
        }
        if (z.hostnames().isEmpty()) issue(p + ".hostnames", "a zone needs at least one hostname");
        for (int i = 0; i < z.hostnames().size(); i++) {
            String h = z.hostnames().get(i);
            String hp = p + ".hostnames[" + i + "]";
            if (h == null || !h.equals("*") && !HOSTNAME.matcher(h.toLowerCase(Locale.ROOT)).matches()) {
                issue(hp, "'" + h + "' is not a hostname (exact, *.example.com, or * for every host no other zone serves)");
                continue;
            }
            String prev = hostOwner.putIfAbsent(h.toLowerCase(Locale.ROOT), String.valueOf(z.id()));
            if (prev != null) issue(hp, "hostname '" + h + "' is already served by zone '" + prev + "'");
        }
        certificate(p + ".tls", z.tls());
        OriginPoolConfig o = z.origins();
        if (o == null || o.servers().isEmpty()) {
            issue(p + ".origins", "a zone needs at least one origin server");
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < o.servers().size(); i++) {
                String sp = p + ".origins.servers[" + i + "]";
                OriginConfig s = o.servers().get(i);
                originUrl(sp + ".url", s.url());
                // the pool keys health state by origin; the same origin twice would share it
                if (s.url() != null && !seen.add(s.url().toLowerCase(Locale.ROOT).replaceAll("/$", ""))) {
                    issue(sp + ".url", "origin " + s.url() + " is listed twice (use weight instead)");
                }
                if (s.weight() < 1 || s.weight() > 1000) issue(sp + ".weight", "weight must be 1..1000");
            }
            HealthCheckConfig hc = o.healthCheck();
            if (!hc.path().startsWith("/")) issue(p + ".origins.health_check.path", "must start with '/'");
            positive(p + ".origins.health_check.interval", hc.interval());
            positive(p + ".origins.health_check.timeout", hc.timeout());
            if (hc.healthyThreshold() < 1) issue(p + ".origins.health_check.healthy_threshold", "must be at least 1");
            if (hc.unhealthyThreshold() < 1) issue(p + ".origins.health_check.unhealthy_threshold", "must be at least 1");
            if (hc.expectStatusMin() < 100 || hc.expectStatusMax() > 599 || hc.expectStatusMin() > hc.expectStatusMax()) {
                issue(p + ".origins.health_check", "expected status range must lie within 100..599");
            }
            if (o.passive().consecutiveFailures() < 1) issue(p + ".origins.passive.consecutive_failures", "must be at least 1");
            positive(p + ".origins.passive.ejection", o.passive().ejection());
            if (o.maxIdlePerOrigin() < 0) issue(p + ".origins.max_idle_per_origin", "must be 0 or more");
        }
        positive(p + ".timeouts.connect", z.timeouts().connect());
        positive(p + ".timeouts.first_byte", z.timeouts().firstByte());
        positive(p + ".timeouts.idle", z.timeouts().idle());
        if (z.limits().maxBodyBytes() < 0) issue(p + ".limits.max_body_bytes", "must be 0 (unlimited) or more");
        if (z.limits().maxConcurrentRequests() < 0) issue(p + ".limits.max_concurrent_requests", "must be 0 (unlimited) or more");
        LimitsValidation.rateLimits(p + ".rate_limits", z.rateLimits(), this::issue);
        LimitsValidation.ddos(p + ".ddos", z.ddos(), this::issue);
    }

    /** Every zone's firewall rules must compile; each bad rule points into its expression. */
    private void firewall(String p, ZoneConfig z, GlobalLists globalLists) {
        try {
            CompiledRules.compile(z.firewall(), new NamedLists(z.lists(), globalLists));
        } catch (RulesException e) {
            for (RuleProblem rp : e.problems()) {
                issues.add(new Issue(p + ".firewall[" + rp.index() + "]." + rp.key(),
                        "rule " + rp.ruleId() + ": " + rp.reason(), rp.line(), rp.column()));
            }
        }
    }

    private void originUrl(String path, String url) {
        if (url == null) {
            issue(path, "origin url is required");
            return;
        }
        try {
            URI u = new URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                issue(path, "origin url must start with http:// or https://");
            } else if (u.getHost() == null) {
                issue(path, "origin url needs a host");
            } else if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
                issue(path, "origin url must not have a path (got '" + u.getRawPath() + "')");
            }
        } catch (Exception e) {
            issue(path, "'" + url + "' is not a valid URL");
        }
    }

    private boolean address(String path, String addr) {
        try {
            HostPort.parse(addr);
            return true;
        } catch (IllegalArgumentException e) {
            issue(path, e.getMessage());
            return false;
        }
    }

    private void certificate(String path, CertificateConfig c) {
        if (c == null) return;
        if (c.inline() || c.keyPem() != null || c.keyRef() != null) {
            // PEM text (API, store); the store checks the pair itself when it is written
            if (c.cert() != null || c.key() != null) issue(path, "give cert and key files, or cert_pem and key_pem, not both");
            if (c.certPem() == null || c.certPem().isBlank()) issue(path + ".cert_pem", "cert_pem (the PEM certificate chain) is required");
            if ((c.keyPem() == null || c.keyPem().isBlank()) && c.keyRef() == null) issue(path + ".key_pem", "key_pem (the PEM private key) is required");
            return;
        }
        if (c.cert() == null) issue(path + ".cert", "certificate file is required");
        else if (!Files.isReadable(Path.of(c.cert()))) issue(path + ".cert", "cannot read certificate file " + c.cert());
        if (c.key() == null) issue(path + ".key", "key file is required");
        else if (!Files.isReadable(Path.of(c.key()))) issue(path + ".key", "cannot read key file " + c.key());
    }

    private static final Pattern NODE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    /** The checks of the {@code cluster} section alone, for one given by command-line flags over the file's. */
    public List<Issue> validate(ClusterConfig c) {
        issues.clear();
        validateCluster(c);
        return List.copyOf(issues);
    }

    private void validateCluster(ClusterConfig c) {
        String url = c.redis();
        if (url == null || url.isBlank()) {
            issue("cluster.redis", "the Redis URL is required (redis://host:port[/db])");
        } else {
            try {
                URI u = new URI(url.trim());
                String path = u.getRawPath() == null ? "" : u.getRawPath();
                // credentials first, and never echo a URL that may hold them
                if (u.getRawUserInfo() != null || u.getRawAuthority() != null && u.getRawAuthority().contains("@")) {
                    issue("cluster.redis", "no credentials in the URL: give the password with password_env or password_file");
                } else if (!"redis".equals(u.getScheme()) && !"rediss".equals(u.getScheme())) {
                    issue("cluster.redis", "must be redis://host:port[/db] or rediss://host:port[/db], got '" + url + "'");
                } else if (u.getHost() == null || u.getHost().isEmpty()) {
                    issue("cluster.redis", "the URL names no host");
                } else if (u.getPort() > 65535) {
                    issue("cluster.redis", "port must be 1..65535");
                } else if (!path.isEmpty() && !path.equals("/") && !path.matches("/\\d{1,2}")) {
                    issue("cluster.redis", "the path is the database number (/0../99), got '" + path + "'");
                } else if (u.getRawQuery() != null || u.getRawFragment() != null) {
                    issue("cluster.redis", "no query or fragment: put options in the cluster section");
                }
            } catch (java.net.URISyntaxException e) {
                issue("cluster.redis", "not a URL (redis://host:port[/db])");
            }
        }
        if (c.nodeId() != null && !NODE_ID.matcher(c.nodeId()).matches()) {
            issue("cluster.node_id", "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (!NODE_ID.matcher(c.namespace()).matches()) {
            issue("cluster.namespace", "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (c.passwordEnv() != null && c.passwordFile() != null) {
            issue("cluster.password_file", "give password_env or password_file, not both");
        }
        if (c.passwordEnv() != null && !ENV_NAME.matcher(c.passwordEnv()).matches()) {
            issue("cluster.password_env", "not an environment variable name: '" + c.passwordEnv() + "'");
        }
        if (c.passwordFile() != null && !Files.isReadable(Path.of(c.passwordFile()))) {
            issue("cluster.password_file", "cannot read password file " + c.passwordFile());
        }
    }

    private void positive(String path, java.time.Duration d) {
        if (d.isNegative() || d.isZero()) issue(path, "must be greater than zero");
    }

    private void issue(String path, String reason) { issues.add(new Issue(path, reason)); }
}
