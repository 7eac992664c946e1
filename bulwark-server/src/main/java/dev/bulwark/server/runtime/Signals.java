package dev.bulwark.server.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP reloads the config file. SIGTERM and SIGINT are left to the JVM, which runs the
 * shutdown hook the command installs (a graceful drain).
 */
public final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    public static void reloadOnHangup(ConfigReloader reloader) {
        try {
            Signal.handle(new Signal("HUP"), s -> {
                log.info("SIGHUP: reloading {}", reloader.file() == null ? "(no config file)" : reloader.file());
                switch (reloader.reload()) {
                    case ReloadOutcome.Applied a -> { } // logged by the reloader
                    case ReloadOutcome.Refused r -> {
                        if (r.noSource()) log.warn("SIGHUP ignored: {}", r.problems().getFirst().reason());
                    }
                }
            });
        } catch (IllegalArgumentException e) {
            log.warn("SIGHUP is not available on this platform; use 'bulwark reload' ({})", e.getMessage());
        }
    }
}
