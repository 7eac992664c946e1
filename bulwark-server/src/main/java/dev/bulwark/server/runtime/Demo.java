package dev.bulwark.server.runtime;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.origin.DemoOrigin;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code bulwark demo} as an object: the demo origin, its generated certificate and a
 * node whose one zone ({@code demo.localhost}, also {@code localhost} and {@code 127.0.0.1})
 * forwards to it. Tests start it on port-0 addresses.
 */
public final class Demo implements AutoCloseable {
    private final DemoOrigin origin;
    private final BulwarkNode node;
    private final CertificateConfig certificate;

    private Demo(DemoOrigin origin, BulwarkNode node, CertificateConfig certificate) {
        this.origin = origin;
        this.node = node;
        this.certificate = certificate;
    }

    public static Demo start(HostPort http, HostPort https, HostPort admin, HostPort originAt, Path dataDir,
                             String accessLog) throws Exception {
        CertificateConfig cert = DemoCertificate.ensure(dataDir, StartupConfigs.DEMO_HOSTS);
        DemoOrigin origin = DemoOrigin.start(new InetSocketAddress(originAt.host(), originAt.port()), 1);
        try {
            BulwarkConfig config = StartupConfigs.demo(http, https, admin, origin.url(), cert, accessLog);
            return new Demo(origin, BulwarkNode.start(config, null, List.of()), cert);
        } catch (Exception | Error e) {
            origin.close();
            throw e;
        }
    }

    public DemoOrigin origin() { return origin; }

    public BulwarkNode node() { return node; }

    public CertificateConfig certificate() { return certificate; }

    /** The PEM of the CA that issued the demo certificate, for clients that verify. */
    public Path certificateAuthority() { return DemoCertificate.caFile(Path.of(certificate.cert()).getParent()); }

    public void shutdown(Duration drain) {
        try {
            node.shutdown(drain);
        } finally {
            origin.close();
        }
    }

    @Override
    public void close() { shutdown(Duration.ZERO); }
}
