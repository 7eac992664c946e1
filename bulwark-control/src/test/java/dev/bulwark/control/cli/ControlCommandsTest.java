package dev.bulwark.control.cli;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.api.ControlServer;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI in-process against a real API on an ephemeral port. */
class ControlCommandsTest {
    private ControlPlane cp;
    private ControlServer server;
    private String token;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() {
        cp = ControlPlane.open(new ControlPlane.Settings(TestDatabases.tempDir(), null, null, null, null,
                new InMemorySnapshotBus(), Clock.SYSTEM, Duration.ZERO));
        server = ControlServer.start(cp, "127.0.0.1", 0);
        token = cp.bootstrapToken().orElseThrow();
    }

    @AfterEach
    void stop() {
        server.close();
        cp.close();
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--api")) { all.add("--api"); all.add(server.baseUrl()); }
        if (!all.contains("--token")) { all.add("--token"); all.add(token); }
        return runRaw(all.toArray(String[]::new));
    }

    private static Run runRaw(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = ControlCommands.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void zoneAndRuleCommandsDriveTheApi() {
        Run add = run("zone", "add", "shop", "--host", "shop.example", "--origin", "http://127.0.0.1:9000");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("created zone shop (config version 1)");
        assertThat(run("zone", "list").out()).contains("shop").contains("shop.example").contains("http://127.0.0.1:9000");
        assertThat(run("zone", "show", "shop").out()).contains("hostnames:").contains("- shop.example");
        assertThat(run("zone", "list", "--json").out()).contains("\"id\" : \"shop\"");

        Run rule = run("rule", "add", "shop", "--id", "no-admin", "-e", "http.request.uri.path eq \"/admin\"", "-a", "block");
        assertThat(rule.exit()).as(rule.err()).isZero();
        assertThat(run("rule", "list", "shop").out()).contains("no-admin").contains("block");
        assertThat(run("rule", "add", "shop", "--kind", "ratelimit", "--id", "login", "--requests", "10", "--period", "1m").exit()).isZero();
        assertThat(run("rule", "list", "shop", "--kind", "ratelimit").out()).contains("login").contains("10 per 1m");

        Run diff = run("config", "diff");
        assertThat(diff.out()).contains("+- id: login");
        Run rb = run("config", "rollback", "1", "-m", "undo rules");
        assertThat(rb.out()).contains("restored version 1 as version 4");
        assertThat(run("config", "versions").out()).contains("undo rules");
        assertThat(run("rule", "rm", "shop", "no-admin").exit()).isEqualTo(1); // rolled back away
        assertThat(run("zone", "rm", "shop").exit()).isZero();
        assertThat(run("audit", "verify").out()).contains("audit chain intact");
        assertThat(run("audit", "export").out().lines()).hasSizeGreaterThan(4);
    }

    @Test
    void refusalsExitOneAndNameTheField() {
        Run bad = run("zone", "add", "shop", "--host", "shop.example", "--origin", "ftp://nope");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("422").contains("origins.servers[0].url");
        assertThat(run("zone", "rm", "ghost").exit()).isEqualTo(1);
        Run unauth = run("zone", "list", "--token", "bwk_xxxxxxxxxxxx_wrong");
        assertThat(unauth.exit()).isEqualTo(1);
        assertThat(unauth.err()).contains("401");
    }

    @Test
    void usageAndConnectionProblemsExitTwo() throws Exception {
        assertThat(run("zone", "add").exit()).isEqualTo(2);
        assertThat(run("zone").exit()).isEqualTo(2);
        assertThat(run("rule", "add", "shop").exit()).isEqualTo(2);
        assertThat(run("nonsense").exit()).isEqualTo(2);
        assertThat(runRaw("zone", "list", "--api", server.baseUrl(), "--token", "").exit()).isEqualTo(2);
        assertThat(run("config", "import", "/nonexistent/file.yaml").exit()).isEqualTo(2);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run down = run("zone", "list", "--api", "http://127.0.0.1:" + closed);
        assertThat(down.exit()).isEqualTo(2);
        assertThat(down.err()).contains("cannot connect");
    }

    @Test
    void tokensImportAndStats() throws Exception {
        Run created = run("token", "create", "--name", "ci", "-p", "zones:read", "-z", "blog", "--expires-in", "1d");
        assertThat(created.exit()).as(created.err()).isZero();
        String secret = created.out().lines().filter(l -> l.startsWith("bwk_")).findFirst().orElseThrow();
        Path file = Files.createTempFile("bulwark", ".yaml");
        Files.writeString(file, "zones:\n  - id: blog\n    hostnames: [blog.example]\n    origins:\n      servers:\n        - url: http://127.0.0.1:9000\n");
        assertThat(run("config", "import", file.toString()).out()).contains("imported");
        assertThat(run("zone", "list", "--token", secret).out()).contains("blog");
        assertThat(run("zone", "rm", "blog", "--token", secret).exit()).isEqualTo(1);
        String id = secret.substring(4, 16);
        assertThat(run("token", "list").out()).contains(id).contains("active");
        assertThat(run("token", "revoke", id).exit()).isZero();
        assertThat(run("zone", "list", "--token", secret).exit()).isEqualTo(1);
        Run stats = run("stats", "blog");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("requests").contains("top clients:");
    }
}
