package dev.bulwark.server.runtime;

import dev.bulwark.cluster.RedisFleet;
import dev.bulwark.core.config.ClusterConfig;
import dev.bulwark.core.time.Clock;
import dev.bulwark.edge.EdgeServices;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cluster mode for one node: joins the fleet the {@code cluster} section names and hands the
 * edge the Redis implementations (counters, bans, rate-limit bans, clearance keys) instead of
 * its in-memory defaults. The password comes from the file or environment variable the section
 * names, else from {@value #PASSWORD_ENV}; it is never logged.
 */
final class ClusterMode {
    /** Where the Redis password is read from when the config names no other source. */
    static final String PASSWORD_ENV = "BULWARK_REDIS_PASSWORD";

    private ClusterMode() {}

    static RedisFleet join(ClusterConfig c) {
        String nodeId = c.nodeId() != null ? c.nodeId() : hostName();
        return RedisFleet.join(new RedisFleet.Settings(c.redis().trim(), password(c), nodeId, c.namespace()), Clock.SYSTEM);
    }

    static EdgeServices use(RedisFleet fleet, EdgeServices services) {
        return services.withCounters(fleet.counters()).withBlocklist(fleet.blocklist())
                .withRateLimitBans(fleet.blocklist().rateLimitBans()).withKeyRing(fleet.keyRing());
    }

    /** {@code bulwark_cluster_redis_up} (1 or 0), outages, and bans waiting for Redis. */
    static void bindMetrics(RedisFleet fleet, MeterRegistry registry) {
        String node = fleet.settings().nodeId();
        Gauge.builder("bulwark_cluster_redis_up", fleet, f -> f.redisUp() ? 1 : 0).tag("node", node)
                .description("1 while this node reaches the fleet's Redis, 0 while it serves from local copies").register(registry);
        FunctionCounter.builder("bulwark_cluster_redis_outages", fleet, RedisFleet::outages).tag("node", node)
                .description("Times this node lost the fleet's Redis").register(registry);
        Gauge.builder("bulwark_cluster_unsent_bans", fleet, f -> f.blocklist().unsentBans()).tag("node", node)
                .description("Bans made here that Redis has not taken yet").register(registry);
        FunctionCounter.builder("bulwark_cluster_counter_updates", fleet, f -> f.counters().updatesAcknowledged()).tag("node", node)
                .description("Rate-limit counter updates Redis acknowledged").register(registry);
    }

    private static String password(ClusterConfig c) {
        if (c.passwordFile() != null) {
            try {
                return Files.readString(Path.of(c.passwordFile())).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Redis password file " + c.passwordFile(), e);
            }
        }
        String env = System.getenv(c.passwordEnv() != null ? c.passwordEnv() : PASSWORD_ENV);
        return env == null || env.isEmpty() ? null : env;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "node-" + ProcessHandle.current().pid();
        }
    }
}
