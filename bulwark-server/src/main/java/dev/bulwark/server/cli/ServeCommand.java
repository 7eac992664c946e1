package dev.bulwark.server.cli;

import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ConfigProblem;
import dev.bulwark.server.runtime.BulwarkNode;
import dev.bulwark.server.runtime.ControlWiring;
import dev.bulwark.server.runtime.StoreFollower;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "serve", description = {"Run from a YAML config file.",
        "SIGHUP or 'bulwark reload' re-reads the file; a bad file is refused and the running config stays."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The config file (YAML).")
    Path config;

    @Option(names = "--check", description = "Only validate the file and exit (0 valid, 2 invalid).")
    boolean check;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep zones in the control-plane store (SQLite under DIR) and serve its API on the admin listener.")
    Path dataDir;

    @Mixin
    StoreOptions store;

    @Option(names = "--edge-only", description = {"Serve zones from the fleet's PostgreSQL store (--store-url) without running the control plane:",
            "read-only connection, no API, no migrations."})
    boolean edgeOnly;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = {"The secret that encrypts stored TLS private keys (default: env BULWARK_KEY_FILE, else",
                    "DIR/tls-key-encryption.key, created on first use). Every node of a PostgreSQL fleet needs the same file."})
    Path keyFile;

    Integer keepVersions; // null: the store's default

    /** Checked while parsing, so a value the store would refuse is a usage error before anything opens. */
    @Option(names = "--keep-versions", paramLabel = "N",
            description = "Config versions kept for rollback and diff (0: all, else at least 2; default: " + ConfigStore.DEFAULT_KEEP_VERSIONS
                    + "); older ones and the TLS keys only they used are deleted.")
    void keepVersions(int n) {
        String problem = ConfigStore.keepVersionsProblem(n);
        if (problem != null) throw new ParameterException(spec.commandLine(), "Invalid value for option '--keep-versions': " + problem);
        keepVersions = n;
    }

    @Mixin
    ClusterOptions cluster;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        BulwarkConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (ConfigException e) {
            printProblems(spec.commandLine().getErr(), e.problems());
            return 2;
        }
        try {
            cfg = cluster.applyTo(cfg, "serve");
        } catch (ConfigException e) {
            printProblems(spec.commandLine().getErr(), e.problems());
            return 2;
        }
        if (edgeOnly && store.url == null) {
            spec.commandLine().getErr().println("bulwark: --edge-only reads the fleet's PostgreSQL store: give --store-url");
            spec.commandLine().getErr().flush();
            return 2;
        }
        if (check) {
            spec.commandLine().getOut().println(config + ": ok (" + cfg.zones().size() + " zones, "
                    + cfg.edge().listeners().size() + " listeners)");
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (edgeOnly) return serveEdgeOnly(cfg, out);
        if (dataDir != null || store.url != null) return serveFromStore(cfg, out);
        BulwarkNode node = BulwarkNode.start(cfg, config, List.of());
        out.println("Bulwark is running from " + config);
        node.listeners().forEach((name, addr) -> out.println("  listener " + name + "  " + Addresses.format(addr)));
        out.println("  admin           " + node.adminUrl() + "  (/metrics, /healthz, POST /-/reload)");
        ClusterOptions.printFleet(out, node);
        out.flush();
        return Foreground.runUntilStopped(node, run.drain);
    }

    /** An edge-only node: zones from the fleet's store, read-only; this node runs no control plane. */
    private int serveEdgeOnly(BulwarkConfig cfg, PrintWriter out) throws Exception {
        StoreFollower follower = StoreFollower.open(store.url, store.user, store.password, cfg, keyFile);
        BulwarkNode node;
        try {
            node = follower.startNode(cfg);
        } catch (Exception | Error e) {
            follower.close();
            throw e;
        }
        out.println("Bulwark edge is running; zones follow the store " + store.url + " (read-only)");
        node.listeners().forEach((name, addr) -> out.println("  listener " + name + "  " + Addresses.format(addr)));
        out.println("  admin           " + node.adminUrl() + "  (/metrics, /healthz)");
        ClusterOptions.printFleet(out, node);
        out.flush();
        return Foreground.runUntilStopped(node, run.drain, follower);
    }

    /**
     * With a store, the file gives the node's listeners and admin address; zones come from the
     * store (seeded from the file when the store is empty) and change through the API, so the
     * file is not re-read on reload.
     */
    private int serveFromStore(BulwarkConfig cfg, PrintWriter out) throws Exception {
        Path dir = dataDir != null ? dataDir : Path.of(".bulwark");
        ControlWiring control = ControlWiring.open(dir, store.url, store.user, store.password, cfg, keyFile, keepVersions);
        BulwarkNode node;
        try {
            if (control.controlPlane().store().latestVersion() == 0) control.seed(cfg, "serve", "zones imported from " + config);
            node = control.startNode(cfg);
        } catch (Exception | Error e) {
            control.close();
            throw e;
        }
        out.println("Bulwark is running; zones come from the store (" + (store.url != null ? store.url : dir.resolve("control.db")) + ")");
        node.listeners().forEach((name, addr) -> out.println("  listener " + name + "  " + Addresses.format(addr)));
        out.println("  admin           " + node.adminUrl() + "  (/metrics, /healthz, /api/v1, /api/openapi.json)");
        ClusterOptions.printFleet(out, node);
        control.bootstrapToken().ifPresent(t -> out.println("  admin token (shown once, also in " + dir.resolve("admin.token") + "): " + t));
        out.flush();
        return Foreground.runUntilStopped(node, run.drain, control);
    }

    static void printProblems(PrintWriter err, List<ConfigProblem> problems) {
        for (ConfigProblem p : problems) err.println(p);
        err.println("bulwark: configuration refused (" + problems.size() + (problems.size() == 1 ? " problem)" : " problems)"));
        err.flush();
    }
}
