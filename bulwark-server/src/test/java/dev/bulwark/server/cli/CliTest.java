package dev.bulwark.server.cli;

import dev.bulwark.server.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line run in-process: parsing, exit codes, messages. */
class CliTest {
    static CliRunner.Run run(String... args) { return CliRunner.run(args); }

    @Test
    void versionPrintsTheBuildVersion() {
        CliRunner.Run r = run("version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("bulwark ").doesNotContain("${").doesNotContain("unknown");
        assertThat(run("--version").out()).isEqualTo(r.out());
    }

    @Test
    void helpListsEveryCommand() {
        CliRunner.Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("demo", "serve", "proxy", "origin", "reload", "version");
    }

    @Test
    void noCommandOrUnknownCommandIsAUsageError() {
        assertThat(run().code()).isEqualTo(2);
        CliRunner.Run r = run("frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate");
    }

    @Test
    void badFlagValuesAreUsageErrorsNamingTheFlag() {
        CliRunner.Run r = run("proxy", "--listen", "nonsense", "--to", "http://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--listen").contains("host:port");
        assertThat(run("proxy").err()).contains("--to");
        assertThat(run("serve").code()).isEqualTo(2);
        assertThat(run("serve", "--config", "x.yaml", "--drain", "soon").code()).isEqualTo(2);
    }

    @Test
    void serveRefusesAKeepVersionsTheStoreCannotHonourBeforeStarting(@TempDir Path dir) {
        Path cfg = Path.of("..", "examples", "bulwark.yaml");
        for (String bad : new String[] {"1", "-1"}) {
            CliRunner.Run r = run("serve", "--config", cfg.toString(), "--data-dir", dir.resolve("data").toString(), "--keep-versions", bad);
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--keep-versions").contains("0 (keep all) or at least 2").contains("roll back")
                    .contains("Usage:").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(dir.resolve("data")).as("nothing started: no store created").doesNotExist();
        }
        CliRunner.Run r = run("serve", "--config", cfg.toString(), "--check", "--keep-versions", "1");
        assertThat(r.code()).as("--check validates the flags too").isEqualTo(2);
        assertThat(r.err()).contains("--keep-versions");
        assertThat(run("serve", "--config", cfg.toString(), "--check", "--keep-versions", "many").err()).contains("--keep-versions");
        for (String good : new String[] {"0", "2", "1000"}) {
            r = run("serve", "--config", cfg.toString(), "--check", "--keep-versions", good);
            assertThat(r.code()).as(good + ": " + r.err()).isZero();
        }
    }

    @Test
    void serveRefusesABadFileWithFileLineAndReason(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                edge:
                  listeners:
                    - address: 127.0.0.1:0
                zones:
                  - id: shop
                    hostnames: [shop.test]
                    origins:
                      servers:
                        - url: ftp://127.0.0.1:9
                  - id: blog
                    hostnamez: [blog.test]
                """);
        CliRunner.Run r = run("serve", "--config", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":11:").contains("unknown key 'hostnamez'").contains("configuration refused");
        Files.writeString(f, Files.readString(f).replace("hostnamez", "hostnames"));
        r = run("serve", "--config", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(f + ":9:").contains("zones[0].origins.servers[0].url").contains("http:// or https://")
                .contains(f + ":10:").contains("zones[1].origins");
    }

    @Test
    void serveNamesAMissingFile(@TempDir Path dir) {
        CliRunner.Run r = run("serve", "--config", dir.resolve("absent.yaml").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("absent.yaml").contains("cannot read");
    }

    @Test
    void serveCheckValidatesTheSampleConfig() {
        Path sample = Path.of("..", "examples", "bulwark.yaml");
        CliRunner.Run r = run("serve", "--config", sample.toString(), "--check");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ok (1 zones, 1 listeners)");
    }

    @Test
    void serveChecksTheClusterFlagsLikeTheFile() {
        String sample = Path.of("..", "examples", "bulwark.yaml").toString();
        CliRunner.Run r = run("serve", "--config", sample, "--check", "--redis", "redis://ops:hunter2@10.0.0.7:6379");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("(serve flags)").contains("cluster.redis").contains("no credentials in the URL")
                .doesNotContain("hunter2");
        r = run("serve", "--config", sample, "--check", "--redis", "redis://10.0.0.7:6379/1", "--node-id", "edge-1");
        assertThat(r.code()).as(r.err()).isZero();
        r = run("serve", "--config", sample, "--edge-only");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--store-url");
    }

    @Test
    void proxyAndDemoCheckTheClusterFlagsAsServeDoes() {
        CliRunner.Run r = run("proxy", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--to", "http://127.0.0.1:1",
                "--redis", "redis://ops:hunter2@10.0.0.7:6379");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("(proxy flags)").contains("cluster.redis").contains("no credentials in the URL")
                .doesNotContain("hunter2");
        r = run("demo", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--origin", "127.0.0.1:0",
                "--node-id", "demo-1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("(demo flags)").contains("cluster.redis").contains("required");
    }

    @Test
    void proxyRefusesAnOriginThatIsNotHttp() {
        CliRunner.Run r = run("proxy", "--listen", "127.0.0.1:0", "--to", "ftp://127.0.0.1:21");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("http:// or https://");
    }

    @Test
    void reloadFailsClearlyWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRunner.Run r = run("reload", "--admin", "127.0.0.1:" + port, "--timeout", "2s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach the admin listener at 127.0.0.1:" + port);
    }

    @Test
    void aBusyPortIsARunTimeFailureNamingTheAddress() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String at = "127.0.0.1:" + busy.getLocalPort();
            CliRunner.Run r = run("origin", "--listen", at);
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).startsWith("bulwark: demo origin cannot listen on " + at);
            r = run("proxy", "--listen", at, "--to", "http://127.0.0.1:9", "--admin", "127.0.0.1:0", "--access-log", "off");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).startsWith("bulwark: cannot listen on " + at);
        }
    }
}
