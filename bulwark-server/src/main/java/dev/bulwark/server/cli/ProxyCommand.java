package dev.bulwark.server.cli;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.runtime.BulwarkNode;
import dev.bulwark.server.runtime.StartupConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "proxy", description = {"Protect one origin with no config file.",
        "One zone answers every Host; with --host, only those names, the listen host, localhost and 127.0.0.1."})
public final class ProxyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", defaultValue = "127.0.0.1:18100", paramLabel = "HOST:PORT",
            description = "Where visitors connect: HTTP/1.1 and h2c (default: ${DEFAULT-VALUE}).")
    HostPort listen;

    @Option(names = "--to", required = true, paramLabel = "URL", description = "The origin, e.g. http://127.0.0.1:18080.")
    String to;

    @Option(names = "--host", paramLabel = "NAME", description = "Answer only this hostname (repeatable; *.example.com works) "
            + "besides the listen host, localhost and 127.0.0.1; without it every Host is answered.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--admin", defaultValue = "127.0.0.1:9090", paramLabel = "HOST:PORT",
            description = "Admin/metrics listener (default: ${DEFAULT-VALUE}).")
    HostPort admin;

    @Option(names = "--access-log", defaultValue = "stdout", paramLabel = "stdout|off|PATH",
            description = "Where JSON access lines go (default: ${DEFAULT-VALUE}).")
    String accessLog;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "N",
            description = "Edge event-loop threads; 0 = two per core (default: ${DEFAULT-VALUE}).")
    int workers;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        BulwarkConfig cfg;
        try {
            cfg = cluster.applyTo(StartupConfigs.proxy(listen, to, hosts, admin, accessLog, workers), "proxy");
        } catch (ConfigException e) {
            ServeCommand.printProblems(spec.commandLine().getErr(), e.problems());
            return 2;
        }
        BulwarkNode node = BulwarkNode.start(cfg, null, List.of());
        PrintWriter out = spec.commandLine().getOut();
        String edge = Addresses.format(node.listeners().values().iterator().next());
        out.println("Bulwark is protecting " + cfg.zones().getFirst().origins().servers().getFirst().url());
        out.println("  edge   http://" + edge + "  (hosts: " + hostsText(cfg.zones().getFirst().hostnames()) + ")");
        out.println("  admin  " + node.adminUrl() + "/metrics");
        ClusterOptions.printFleet(out, node);
        out.println("Try: curl -i http://" + edge + "/");
        out.flush();
        return Foreground.runUntilStopped(node, run.drain);
    }

    private static String hostsText(List<String> hosts) {
        return hosts.equals(List.of("*")) ? "any" : String.join(", ", hosts);
    }
}
