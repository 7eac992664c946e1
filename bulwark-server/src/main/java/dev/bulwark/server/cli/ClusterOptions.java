package dev.bulwark.server.cli;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ClusterConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigProblem;
import dev.bulwark.core.config.ConfigValidator;
import dev.bulwark.server.runtime.BulwarkNode;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The cluster-mode flags {@code serve}, {@code proxy} and {@code demo} share. They become the
 * config's {@code cluster} section (over the file's, for {@code serve}), validated as the file's
 * is; {@link BulwarkNode} then joins the fleet for any command the same way.
 */
public final class ClusterOptions {
    @Option(names = "--redis", paramLabel = "URL",
            description = {"Cluster mode: share rate-limit counts, bans and clearance keys with the fleet through this Redis",
                    "(redis://host:port[/db], rediss:// for TLS; password from BULWARK_REDIS_PASSWORD or --redis-password-file).",
                    "Overrides cluster.redis in a config file."})
    String redis;

    @Option(names = "--redis-password-file", paramLabel = "FILE", description = "File holding the Redis password.")
    Path redisPasswordFile;

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's name in the fleet (default: cluster.node_id, else the host name).")
    String nodeId;

    /**
     * {@code base} (a file's cluster section, or null) with these flags over it; null when neither
     * names one. {@code source} names the flags in a problem, e.g. {@code proxy}.
     */
    public ClusterConfig over(ClusterConfig base, String source) throws ConfigException {
        if (redis == null && nodeId == null && redisPasswordFile == null) return base;
        ClusterConfig c = base != null ? base : new ClusterConfig(null, null, null, null, null);
        if (redis != null) c = c.withRedis(redis);
        if (nodeId != null) c = c.withNodeId(nodeId);
        if (redisPasswordFile != null) c = c.withPasswordFile(redisPasswordFile.toString());
        List<ConfigProblem> problems = new ConfigValidator().validate(c).stream()
                .map(i -> new ConfigProblem("(" + source + " flags)", 0, 0, i.path(), i.reason())).toList();
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return c;
    }

    /** {@code cfg} with these flags over its cluster section. */
    public BulwarkConfig applyTo(BulwarkConfig cfg, String source) throws ConfigException {
        ClusterConfig c = over(cfg.cluster(), source);
        return c == cfg.cluster() ? cfg : cfg.withCluster(c);
    }

    /** The welcome line naming the fleet, when the node joined one. */
    static void printFleet(PrintWriter out, BulwarkNode node) {
        if (node.fleet() != null) out.println("  fleet           node " + node.fleet().settings().nodeId() + " via " + node.fleet().settings().url());
    }
}
