package dev.bulwark.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;

/**
 * A PEM certificate chain and its PEM private key, as file paths. Relative paths are
 * resolved against the directory of the config file that names them.
 */
public record CertificateConfig(String cert, String key) {
    /** The reader attribute holding the directory relative paths are resolved against. */
    public static final String BASE_DIR = "bulwark.baseDir";

    @JsonCreator
    static CertificateConfig of(@JsonProperty("cert") String cert, @JsonProperty("key") String key,
                                @com.fasterxml.jackson.annotation.JacksonInject(value = BASE_DIR, useInput = com.fasterxml.jackson.annotation.OptBoolean.FALSE) Path baseDir) {
        return new CertificateConfig(resolve(cert, baseDir), resolve(key, baseDir));
    }

    private static String resolve(String p, Path baseDir) {
        return p == null || baseDir == null ? p : baseDir.resolve(p).normalize().toString();
    }
}
