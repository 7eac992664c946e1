package dev.bulwark.server.runtime;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.ClusterConfig;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.origin.DemoOrigin;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code bulwark demo} as an object: the demo origin, its generated certificate and a
 * node whose one zone ({@code demo.localhost}, also {@code localhost} and {@code 127.0.0.1})
 * forwards to it. Tests start it on port-0 addresses.
 */
public final class Demo implements AutoCloseable {
    private final DemoOrigin origin;
    private final BulwarkNode node;
    private final CertificateConfig certificate;
    private final ControlWiring control;

    private Demo(DemoOrigin origin, BulwarkNode node, CertificateConfig certificate, ControlWiring control) {
        this.origin = origin;
        this.node = node;
        this.certificate = certificate;
        this.control = control;
    }

    public static Demo start(HostPort http, HostPort https, HostPort admin, HostPort originAt, Path dataDir,
                             String accessLog) throws Exception {
        return start(http, https, admin, originAt, dataDir, accessLog, null);
    }

    /** As above, in cluster mode when {@code cluster} is given ({@code demo --redis}): the node joins that fleet as {@code serve} does. */
    public static Demo start(HostPort http, HostPort https, HostPort admin, HostPort originAt, Path dataDir,
                             String accessLog, ClusterConfig cluster) throws Exception {
        CertificateConfig cert = DemoCertificate.ensure(dataDir, StartupConfigs.DEMO_HOSTS);
        DemoOrigin origin = DemoOrigin.start(new InetSocketAddress(originAt.host(), originAt.port()), 1);
        ControlWiring control = null;
        try {
            BulwarkConfig config = StartupConfigs.demo(http, https, admin, origin.url(), cert, accessLog);
            if (cluster != null) config = config.withCluster(cluster);
            // The demo keeps a real control plane (SQLite under the data dir): its API is on the admin
            // listener and every change committed there reaches this edge as a new snapshot. The demo
            // zone is (re)stored at each start so that it always points at this run's demo origin.
            control = ControlWiring.open(dataDir, null, null, null, config);
            control.seed(config, "demo", "demo zones at start");
            BulwarkNode node = control.startNode(config);
            return new Demo(origin, node, cert, control);
        } catch (Exception | Error e) {
            if (control != null) control.close();
            origin.close();
            throw e;
        }
    }

    public DemoOrigin origin() { return origin; }

    public BulwarkNode node() { return node; }

    public CertificateConfig certificate() { return certificate; }

    /** The control plane behind the admin API. */
    public ControlWiring control() { return control; }

    /** The PEM of the CA that issued the demo certificate, for clients that verify. */
    public Path certificateAuthority() { return DemoCertificate.caFile(Path.of(certificate.cert()).getParent()); }

    public void shutdown(Duration drain) {
        try {
            node.shutdown(drain);
        } finally {
            control.close();
            origin.close();
        }
    }

    @Override
    public void close() { shutdown(Duration.ZERO); }
}
