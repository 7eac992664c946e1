package dev.bulwark.server.cli;

import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.origin.DemoOrigin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

@Command(name = "origin", description = "Run only the demo origin (for benchmarks and tests).")
public final class OriginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", defaultValue = "127.0.0.1:18080", paramLabel = "HOST:PORT",
            description = "Listen address (default: ${DEFAULT-VALUE}).")
    HostPort listen;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Event-loop threads; 0 = two per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (threads < 0) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be 0 or more");
        DemoOrigin origin = DemoOrigin.start(new InetSocketAddress(listen.host(), listen.port()), threads);
        spec.commandLine().getOut().println("demo origin on " + origin.url() + "  endpoints: " + String.join(" ", DemoOrigin.endpoints()));
        spec.commandLine().getOut().flush();
        return Foreground.waitForShutdown(origin::close);
    }
}
