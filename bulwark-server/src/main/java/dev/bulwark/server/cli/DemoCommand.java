package dev.bulwark.server.cli;

import dev.bulwark.core.config.ClusterConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.runtime.Demo;
import dev.bulwark.server.runtime.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", description = {"Run the edge in front of the built-in demo origin.",
        "Zone demo.localhost (also *.demo.localhost, localhost, 127.0.0.1) with a self-signed certificate."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--http", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
            description = "HTTP listener, HTTP/1.1 and h2c (default: ${DEFAULT-VALUE}).")
    HostPort http;

    @Option(names = "--https", defaultValue = "127.0.0.1:8443", paramLabel = "HOST:PORT",
            description = "HTTPS listener, h2 and HTTP/1.1 by ALPN (default: ${DEFAULT-VALUE}).")
    HostPort https;

    @Option(names = "--admin", defaultValue = "127.0.0.1:9090", paramLabel = "HOST:PORT",
            description = "Admin/metrics listener (default: ${DEFAULT-VALUE}).")
    HostPort admin;

    @Option(names = "--origin", defaultValue = "127.0.0.1:18080", paramLabel = "HOST:PORT",
            description = "Where the demo origin listens (default: ${DEFAULT-VALUE}).")
    HostPort origin;

    @Option(names = "--data-dir", defaultValue = ".bulwark", paramLabel = "DIR",
            description = "Where the demo certificate and the control-plane store are kept (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--access-log", defaultValue = "stdout", paramLabel = "stdout|off|PATH",
            description = "Where JSON access lines go (default: ${DEFAULT-VALUE}).")
    String accessLog;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        ClusterConfig fleet;
        try {
            fleet = cluster.over(null, "demo");
        } catch (ConfigException e) {
            ServeCommand.printProblems(spec.commandLine().getErr(), e.problems());
            return 2;
        }
        Demo demo = Demo.start(http, https, admin, origin, dataDir, accessLog, fleet);
        printWelcome(spec.commandLine().getOut(), demo);
        Signals.reloadOnHangup(demo.node().reloader());
        return Foreground.waitForShutdown(() -> demo.shutdown(run.drain));
    }

    private void printWelcome(PrintWriter out, Demo demo) {
        InetSocketAddress h = demo.node().listeners().get("http");
        InetSocketAddress s = demo.node().listeners().get("https");
        String hp = h == null ? "?" : String.valueOf(h.getPort());
        String sp = s == null ? "?" : String.valueOf(s.getPort());
        out.println("Bulwark demo is running.");
        if (h != null) out.println("  edge, HTTP/1.1 + h2c   http://" + Addresses.format(h));
        if (s != null) out.println("  edge, HTTPS h2 + 1.1   https://" + Addresses.format(s)
                + "   (demo CA: " + demo.certificateAuthority() + ")");
        out.println("  demo origin            " + demo.origin().url());
        out.println("  admin                  " + demo.node().adminUrl() + "/metrics   /healthz");
        ClusterOptions.printFleet(out, demo.node());
        out.println("  control-plane API      " + demo.node().adminUrl() + "/api/v1/zones   (OpenAPI: /api/openapi.json)");
        demo.control().bootstrapToken().ifPresent(t -> out.println("  admin token (shown once, also in " + dataDir.resolve("admin.token") + "): " + t));
        out.println();
        out.println("Try:");
        out.println("  curl -i http://127.0.0.1:" + hp + "/");
        out.println("  curl -i http://demo.localhost:" + hp + "/echo");
        out.println("  curl --http2-prior-knowledge -s http://127.0.0.1:" + hp + "/1k -o /dev/null -w '%{http_version} %{http_code}\\n'");
        out.println("  curl -k --http2 -i https://demo.localhost:" + sp + "/");
        out.println("  curl -s -o /dev/null -w '%{size_download}\\n' http://127.0.0.1:" + hp + "/bytes/104857600");
        out.println("  curl -s " + demo.node().adminUrl() + "/metrics | grep '^bulwark'");
        out.println("Press Ctrl-C to stop (in-flight requests are drained for up to " + run.drain.toSeconds() + "s).");
        out.flush();
    }
}
