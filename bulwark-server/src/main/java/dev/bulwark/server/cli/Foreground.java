package dev.bulwark.server.cli;

import dev.bulwark.server.runtime.BulwarkNode;
import dev.bulwark.server.runtime.Signals;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a started node in the foreground: SIGHUP reloads, SIGTERM/SIGINT run a shutdown
 * hook that drains the node and then closes whatever else the command started.
 */
final class Foreground {
    private Foreground() {}

    static int runUntilStopped(BulwarkNode node, Duration drain, AutoCloseable... alsoClose) throws InterruptedException {
        Signals.reloadOnHangup(node.reloader());
        return waitForShutdown(() -> {
            node.shutdown(drain);
            for (AutoCloseable c : alsoClose) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // shutting down: nothing left to tell
                }
            }
        });
    }

    static int waitForShutdown(Runnable onShutdown) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                onShutdown.run();
            } finally {
                done.countDown();
                if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext lc) lc.stop();
            }
        }, "bulwark-shutdown"));
        done.await();
        return 0;
    }
}
