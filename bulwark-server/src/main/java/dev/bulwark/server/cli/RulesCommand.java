package dev.bulwark.server.cli;

import dev.bulwark.core.rules.RulesCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bulwark rules check FILE}: compiles every zone's firewall rules without applying anything. */
@Command(name = "rules", description = "Work with firewall rules.", subcommands = RulesCommand.Check.class)
public final class RulesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command (check)");
    }

    @Command(name = "check", description = {"Validate a config file and compile every zone's firewall rules.",
            "Problems are printed as file:line:col: zone/rule: reason; exit 0 valid, 2 invalid."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "A Bulwark YAML config.")
        Path file;

        @Override
        public Integer call() {
            RulesCheck.Report report = RulesCheck.run(file);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (report.ok()) {
                out.println(file + ": ok (" + report.rules() + " rules in " + report.zones() + " zones)");
                out.flush();
                return 0;
            }
            report.problems().forEach(err::println);
            err.println("bulwark: rules refused (" + report.problems().size() + " problems)");
            err.flush();
            return 2;
        }
    }
}
