package dev.bulwark.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;

/**
 * A certificate chain and its private key, in one of three forms:
 *
 * <ul>
 *   <li>{@code cert} / {@code key}: PEM file paths (YAML files); relative paths are resolved
 *       against the directory of the config file that names them, and the files are read when
 *       the config is applied;</li>
 *   <li>{@code cert_pem} / {@code key_pem}: the PEM text itself (a zone written through the API);</li>
 *   <li>{@code cert_pem} / {@code key_ref}: as the control-plane store keeps it — the key is a
 *       secret stored apart, named by the SHA-256 fingerprint of the certificate's public key, and
 *       put back as {@code keyPem} only in the snapshot handed to the edge.</li>
 * </ul>
 *
 * The key's PEM is never serialised (write-only) nor printed by {@link #toString()}, so no
 * document, API answer, diff or audit entry made from this record can carry it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateConfig(String cert, String key, String certPem,
                                @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String keyPem, String keyRef) {
    /** The reader attribute holding the directory relative paths are resolved against. */
    public static final String BASE_DIR = "bulwark.baseDir";

    /** PEM files. */
    public CertificateConfig(String cert, String key) { this(cert, key, null, null, null); }

    @JsonCreator
    static CertificateConfig of(@JsonProperty("cert") String cert, @JsonProperty("key") String key,
                                @JsonProperty("cert_pem") String certPem, @JsonProperty("key_pem") String keyPem,
                                @JsonProperty("key_ref") String keyRef,
                                @com.fasterxml.jackson.annotation.JacksonInject(value = BASE_DIR, useInput = com.fasterxml.jackson.annotation.OptBoolean.FALSE) Path baseDir) {
        return new CertificateConfig(resolve(cert, baseDir), resolve(key, baseDir), certPem, keyPem, keyRef);
    }

    /** PEM text, as the API takes it. */
    public static CertificateConfig pem(String certPem, String keyPem) { return new CertificateConfig(null, null, certPem, keyPem, null); }

    /** True when the chain and key are given as text (or a stored key), not as files. */
    public boolean inline() { return certPem != null; }

    /** The same certificate with its stored key put back (the snapshot for the edge). */
    public CertificateConfig withKeyPem(String pem) { return new CertificateConfig(cert, key, certPem, pem, keyRef); }

    @Override
    public String toString() {
        return "CertificateConfig[" + (inline() ? "cert_pem=" + certPem.length() + " chars" : "cert=" + cert)
                + (keyRef != null ? ", key_ref=" + keyRef : keyPem != null ? ", key_pem=(secret)" : ", key=" + key) + "]";
    }

    private static String resolve(String p, Path baseDir) {
        return p == null || baseDir == null ? p : baseDir.resolve(p).normalize().toString();
    }
}
