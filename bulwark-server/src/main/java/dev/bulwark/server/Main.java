package dev.bulwark.server;

import dev.bulwark.core.config.Durations;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.cli.DemoCommand;
import dev.bulwark.server.cli.KeysCommand;
import dev.bulwark.server.cli.OriginCommand;
import dev.bulwark.server.cli.ProxyCommand;
import dev.bulwark.server.cli.ReloadCommand;
import dev.bulwark.server.cli.ServeCommand;
import dev.bulwark.server.cli.Version;
import dev.bulwark.server.cli.VersionCommand;
import dev.bulwark.control.cli.ControlCommands;
import dev.bulwark.server.cli.RulesCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Duration;

/**
 * The {@code bulwark} command line. Exit codes: 0 success, 1 failure at run time (cannot
 * bind, reload refused, admin unreachable), 2 bad usage or an invalid config file.
 */
@Command(name = "bulwark", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Bulwark: an open-source edge security proxy.",
        subcommands = {DemoCommand.class, ServeCommand.class, ProxyCommand.class, OriginCommand.class,
                ReloadCommand.class, RulesCommand.class, KeysCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: bulwark demo)");
    }

    public static void main(String[] args) {
        productionDefaults();
        System.exit(commandLine().execute(args));
    }

    /**
     * Netty's default leak detection samples one buffer in 128 and records a stack trace for it
     * on allocation and on release: a measurable cost per request at proxy rates. The test suites
     * keep it on (they do not go through main); an operator can still ask for it with
     * {@code -Dio.netty.leakDetection.level=simple}. Must run before any Netty buffer class loads.
     */
    static void productionDefaults() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }

    /** The configured command line, for {@link #main} and for tests that run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        ControlCommands.addTo(cl); // zone, rule, token, config, stats, audit: clients of the admin API
        cl.registerConverter(HostPort.class, HostPort::parse);
        cl.registerConverter(Duration.class, Durations::parse);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("bulwark: " + describe(ex));
            return 1;
        });
        return cl;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        Throwable c = t;
        while ((m == null || m.isBlank()) && c.getCause() != null) {
            c = c.getCause();
            m = c.getMessage();
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
