package dev.bulwark.server.cli;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ConfigProblem;
import dev.bulwark.server.runtime.BulwarkNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
        if (check) {
            spec.commandLine().getOut().println(config + ": ok (" + cfg.zones().size() + " zones, "
                    + cfg.edge().listeners().size() + " listeners)");
            return 0;
        }
        BulwarkNode node = BulwarkNode.start(cfg, config, List.of());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Bulwark is running from " + config);
        node.listeners().forEach((name, addr) -> out.println("  listener " + name + "  " + Addresses.format(addr)));
        out.println("  admin           " + node.adminUrl() + "  (/metrics, /healthz, POST /-/reload)");
        out.flush();
        return Foreground.runUntilStopped(node, run.drain);
    }

    static void printProblems(PrintWriter err, List<ConfigProblem> problems) {
        for (ConfigProblem p : problems) err.println(p);
        err.println("bulwark: configuration refused (" + problems.size() + (problems.size() == 1 ? " problem)" : " problems)"));
        err.flush();
    }
}
