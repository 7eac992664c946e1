package dev.bulwark.control.cli;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.api.ControlServer;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
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
        assertThat(run("rule", "add", "shop", "--kind", "ratelimit", "--id", "login", "--requests", "10", "--period", "1m", "-a", "close").exit()).isZero();
        assertThat(run("rule", "list", "shop", "--kind", "ratelimit").out()).contains("login").contains("close").contains("10 per 1m");

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
    void attacksListShowsTheEventsOfOneOrEveryZone() throws Exception {
        assertThat(run("zone", "add", "shop", "--host", "shop.example", "--origin", "http://127.0.0.1:9000").exit()).isZero();
        assertThat(run("attacks", "list").out()).contains("no attack events");
        long now = System.currentTimeMillis();
        cp.attackJournal().report(new dev.bulwark.core.observe.AttackRecord("shop-1", "shop", now - 90_000, now - 30_000, 3120, 95, 800, 22,
                "http.request.uri.path in {\"/login\"}", List.of(), List.of("/login"), List.of(), List.of(), "block"));
        cp.attackJournal().report(new dev.bulwark.core.observe.AttackRecord("shop-2", "shop", now - 5_000, 0, 1800, 95, 3, 22,
                "ip.prefix in {203.0.113.0/24}", List.of("203.0.113.0/24"), List.of(), List.of(), List.of(), null));
        assertThat(cp.attackJournal().flush(Duration.ofSeconds(10))).isTrue();

        Run list = run("attacks", "list", "shop");
        assertThat(list.exit()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).contains("STARTED").contains("PEAK REQ/S").contains("SIGNATURE");
        assertThat(lines.get(1)).contains("shop").contains("ongoing").contains("1800").contains("none").contains("ip.prefix in {203.0.113.0/24}");
        assertThat(lines.get(2)).contains("ended after 60s").contains("3120").contains("block").contains("/login");
        Run json = run("attacks", "list", "--json");
        assertThat(json.exit()).isZero();
        JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(parsed).hasSize(2);
        assertThat(parsed.get(1).at("/signature/paths/0").asText()).isEqualTo("/login");
        assertThat(run("attacks", "list", "--limit", "1").out().lines()).hasSize(2);
        assertThat(run("attacks", "list", "ghost", "--token", run("token", "create", "--name", "s", "-p", "analytics:read", "-z", "shop")
                .out().lines().filter(l -> l.startsWith("bwk_")).findFirst().orElseThrow()).exit()).isEqualTo(1);
        assertThat(run("attacks", "list", "--limit", "0").exit()).isEqualTo(2);
    }

    @Test
    void configImportSendsCertificateFilesAsPem() throws Exception {
        var pair = dev.bulwark.control.store.TestCertificates.valid("blog.example");
        Path dir = Files.createTempDirectory("bulwark-import");
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("certs/blog.pem"), pair.certPem());
        Files.writeString(dir.resolve("certs/blog.key"), pair.keyPem());
        Path file = dir.resolve("bulwark.yaml");
        Files.writeString(file, "zones:\n  - id: blog\n    hostnames: [blog.example]\n    tls: {cert: certs/blog.pem, key: certs/blog.key}\n"
                + "    origins:\n      servers:\n        - url: http://127.0.0.1:9000\n");
        Run imported = run("config", "import", file.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        var tls = cp.store().zone("blog").orElseThrow().tls();
        assertThat(tls.certPem()).isEqualTo(pair.certPem());
        assertThat(tls.cert()).isNull();
        assertThat(cp.store().snapshot().config().zones().getFirst().tls().keyPem()).isEqualTo(pair.keyPem());
        assertThat(run("zone", "show", "blog").out()).contains("key_ref: sha256:").doesNotContain("PRIVATE KEY");

        Files.delete(dir.resolve("certs/blog.key"));
        Run missing = run("config", "import", file.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("zones[0].tls.key: cannot read");
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
