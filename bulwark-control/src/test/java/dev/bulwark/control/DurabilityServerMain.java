package dev.bulwark.control;

import dev.bulwark.control.api.ControlApi;
import dev.bulwark.control.api.ControlServer;
import dev.bulwark.control.auth.Bootstrap;
import dev.bulwark.core.time.Clock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The child process of {@link DurabilityTest}: the API on a SQLite store, until killed (at most two minutes). */
public final class DurabilityServerMain {
    private DurabilityServerMain() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        ControlPlane cp = ControlPlane.open(new ControlPlane.Settings(dataDir, null, null, null, null, null, Clock.SYSTEM, Duration.ZERO));
        ControlServer server = ControlServer.start(cp, "127.0.0.1", 0, new ControlApi.Options(100_000, 100_000));
        String token = Files.readString(dataDir.resolve(Bootstrap.TOKEN_FILE)).trim();
        System.out.println("READY " + server.port() + " " + token);
        System.out.flush();
        Thread.sleep(120_000);
        System.exit(3);
    }
}
