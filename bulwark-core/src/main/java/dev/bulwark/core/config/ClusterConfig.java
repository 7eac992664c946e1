package dev.bulwark.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;

/**
 * Cluster mode: the Redis the fleet shares rate-limit counts, bans, the clearance key ring and
 * the key-hash seed through. Absent (null in {@link BulwarkConfig}) a node keeps all of that in
 * memory. The password is never written here: it is read at start from the environment variable
 * {@code password_env} names or from {@code password_file} (relative to the config file).
 *
 * @param redis     {@code redis://host:port[/db]} or {@code rediss://…} (TLS); no credentials in the URL
 * @param nodeId    this node's name in logs and in Redis' {@code CLIENT LIST} (default: the host name)
 * @param namespace prefix of every Redis key, so two fleets can share one Redis (default {@code bulwark})
 */
public record ClusterConfig(String redis, String nodeId, String namespace, String passwordEnv, String passwordFile) {
    public static final String DEFAULT_NAMESPACE = "bulwark";

    public ClusterConfig {
        namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    }

    @JsonCreator
    static ClusterConfig of(@JsonProperty("redis") String redis, @JsonProperty("node_id") String nodeId,
                            @JsonProperty("namespace") String namespace, @JsonProperty("password_env") String passwordEnv,
                            @JsonProperty("password_file") String passwordFile,
                            @com.fasterxml.jackson.annotation.JacksonInject(value = CertificateConfig.BASE_DIR, useInput = com.fasterxml.jackson.annotation.OptBoolean.FALSE) Path baseDir) {
        String file = passwordFile == null || baseDir == null ? passwordFile : baseDir.resolve(passwordFile).normalize().toString();
        return new ClusterConfig(redis, nodeId, namespace, passwordEnv, file);
    }

    public ClusterConfig withRedis(String url) { return new ClusterConfig(url, nodeId, namespace, passwordEnv, passwordFile); }

    public ClusterConfig withNodeId(String id) { return new ClusterConfig(redis, id, namespace, passwordEnv, passwordFile); }

    public ClusterConfig withPasswordFile(String file) { return new ClusterConfig(redis, nodeId, namespace, null, file); }

    public ClusterConfig withPasswordEnv(String env) { return new ClusterConfig(redis, nodeId, namespace, env, null); }
}
