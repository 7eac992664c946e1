package dev.bulwark.control.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * The control-plane CLI commands, for the server's main command to register as
 * subcommands: {@code zone}, {@code rule}, {@code token}, {@code config}, {@code stats}, {@code attacks},
 * {@code audit}. Each talks to the API ({@code --api}, {@code --token} or BULWARK_TOKEN,
 * {@code --json}) and exits 0 (done), 1 (API refused) or 2 (usage error, API unreachable).
 */
public final class ControlCommands {
    private ControlCommands() {}

    /** Fresh command objects, one per top-level command. */
    public static List<Object> all() {
        return List.of(new ZoneCommand(), new RuleCommand(), new TokenCommand(), new ConfigCommand(),
                new StatsCommand(), new AttacksCommand(), new AuditCommand());
    }

    /** Adds every command to {@code parent}. */
    public static CommandLine addTo(CommandLine parent) {
        for (Object c : all()) parent.addSubcommand(c);
        return parent;
    }

    /** A standalone {@code bulwark} command line holding only these commands (tests, or a CLI-only jar). */
    public static CommandLine commandLine() {
        return addTo(new CommandLine(new Root()));
    }

    @Command(name = "bulwark", mixinStandardHelpOptions = true, description = "Bulwark control-plane client.")
    static final class Root implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() { throw new CommandLine.ParameterException(spec.commandLine(), "name a command"); }
    }
}
