package dev.bulwark.edge.tls;

import dev.bulwark.core.config.ListenerConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * SNI -> certificate for one https listener, read from the current snapshot on every
 * handshake (so a reload changes certificates without a restart). An unknown or missing
 * SNI gets the listener's default certificate, or the handshake is refused when the
 * listener says {@code unknown_sni: close} or has no default.
 */
public final class SniCertificates implements Mapping<String, SslContext> {
    /** The SNI host name a TLS connection asked for (lower-case), set when the handshake starts. */
    public static final io.netty.util.AttributeKey<String> SNI_HOST = io.netty.util.AttributeKey.valueOf("bulwark.sni");

    private final ListenerConfig listener;
    private final Supplier<TlsContexts> current;

    public SniCertificates(ListenerConfig listener, Supplier<TlsContexts> current) {
        this.listener = listener;
        this.current = current;
    }

    @Override
    public SslContext map(String sni) {
        TlsContexts tls = current.get();
        if (sni != null) {
            SslContext ctx = tls.forHost(sni.toLowerCase(Locale.ROOT));
            if (ctx != null) return ctx;
        }
        SslContext fallback = listener.unknownSni() == ListenerConfig.UnknownSni.CLOSE ? null : tls.listenerDefault(listener.name());
        if (fallback == null) throw new UnknownSniException(sni);
        return fallback;
    }

    /** The handshake names no zone and the listener has no certificate for it: the connection is closed. */
    public static final class UnknownSniException extends RuntimeException {
        UnknownSniException(String sni) {
            super("no certificate for SNI '" + sni + "'", null, false, false);
        }
    }
}
