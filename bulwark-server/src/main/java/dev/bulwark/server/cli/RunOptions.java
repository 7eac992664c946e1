package dev.bulwark.server.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/** Options every long-running command shares. */
public final class RunOptions {
    @Option(names = "--drain", defaultValue = "10s", paramLabel = "DURATION",
            description = "On SIGTERM/SIGINT, how long in-flight requests may take to finish (default: ${DEFAULT-VALUE}).")
    Duration drain;
}
