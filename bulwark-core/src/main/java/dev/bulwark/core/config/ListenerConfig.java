package dev.bulwark.core.config;

/**
 * One public listener. {@code http} speaks HTTP/1.1 and h2c with prior knowledge;
 * {@code https} terminates TLS (1.2/1.3) and negotiates h2 or http/1.1 by ALPN, choosing
 * the certificate by SNI from the zones and falling back to {@code defaultCertificate}.
 */
public record ListenerConfig(String name, String address, Protocol protocol,
                             CertificateConfig defaultCertificate, UnknownSni unknownSni) {
    public enum Protocol { HTTP, HTTPS }

    /** What to do with a TLS client whose SNI names no zone. */
    public enum UnknownSni { DEFAULT_CERTIFICATE, CLOSE }

    public ListenerConfig {
        protocol = protocol == null ? Protocol.HTTP : protocol;
        unknownSni = unknownSni == null ? UnknownSni.DEFAULT_CERTIFICATE : unknownSni;
        name = name == null ? protocol.name().toLowerCase() : name;
    }

    public static ListenerConfig http(String name, String address) {
        return new ListenerConfig(name, address, Protocol.HTTP, null, null);
    }
}
