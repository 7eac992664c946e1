package dev.bulwark.edge.tls;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.config.HostnameMap;
import dev.bulwark.core.tls.PemCertificates;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import java.io.File;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;

/**
 * The server certificates of one config snapshot: an SslContext per zone hostname (from the
 * zone's PEM files, or its PEM text from the store) and a default per https listener. TLS 1.2 and 1.3 only, ALPN h2 then
 * http/1.1, OpenSSL (BoringSSL) when available. Contexts are built once per reload and shared
 * by identical PEM pairs; a bad file fails the build, so a reload with it is refused whole.
 */
public final class TlsContexts {
    private static final SslProvider PROVIDER = OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)
            ? SslProvider.OPENSSL : SslProvider.JDK;

    private final HostnameMap<SslContext> byHost;
    private final Map<String, SslContext> listenerDefaults;

    private TlsContexts(HostnameMap<SslContext> byHost, Map<String, SslContext> listenerDefaults) {
        this.byHost = byHost;
        this.listenerDefaults = listenerDefaults;
    }

    public static TlsContexts build(BulwarkConfig config) {
        Map<CertificateConfig, SslContext> built = new HashMap<>();
        HostnameMap.Builder<SslContext> hosts = HostnameMap.builder();
        for (ZoneConfig z : config.zones()) {
            if (z.tls() == null) continue;
            SslContext ctx = built.computeIfAbsent(z.tls(), TlsContexts::serverContext);
            for (String h : z.hostnames()) hosts.put(h, ctx);
        }
        Map<String, SslContext> defaults = new HashMap<>();
        for (ListenerConfig l : config.edge().listeners()) {
            if (l.protocol() == ListenerConfig.Protocol.HTTPS && l.defaultCertificate() != null) {
                defaults.put(l.name(), built.computeIfAbsent(l.defaultCertificate(), TlsContexts::serverContext));
            }
        }
        return new TlsContexts(hosts.build(), Map.copyOf(defaults));
    }

    /** The context for a zone hostname (lower-case), or null when no zone with a certificate names it. */
    public SslContext forHost(String sni) { return byHost.find(sni); }

    /** The listener's default certificate, or null when it has none. */
    public SslContext listenerDefault(String listener) { return listenerDefaults.get(listener); }

    public static String providerName() { return PROVIDER.name(); }

    static SslContext serverContext(CertificateConfig c) {
        try {
            SslContextBuilder builder = c.inline()
                    ? SslContextBuilder.forServer(PemCertificates.key(c.keyPem()), PemCertificates.chain(c.certPem()).toArray(X509Certificate[]::new))
                    : SslContextBuilder.forServer(new File(c.cert()), new File(c.key()));
            return builder
                    .sslProvider(PROVIDER)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot load " + (c.inline() ? "zone certificate " + c.keyRef() : "certificate " + c.cert() + " / key " + c.key())
                    + ": " + e.getMessage(), e);
        }
    }
}
