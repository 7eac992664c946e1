package dev.bulwark.server.cli;

import dev.bulwark.server.RawHttp;
import dev.bulwark.server.origin.DemoOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bulwark serve} and {@code bulwark demo} as real processes: SIGHUP applies a good file
 * and refuses a bad one (old config keeps serving), SIGTERM drains a request in flight before
 * the process exits; the demo's printed curl command works.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ServeProcessTest {
    private static final String CONFIG = """
            edge:
              listeners:
                - name: http
                  address: 127.0.0.1:0
              access_log: "off"
            admin:
              address: 127.0.0.1:0
            zones:
              - id: shop
                hostnames: [HOSTS]
                origins:
                  servers:
                    - url: ORIGIN
            """;

    @Test
    void sighupReloadsAndSigtermDrains(@TempDir Path dir) throws Exception {
        try (DemoOrigin origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1)) {
            Path file = dir.resolve("bulwark.yaml");
            String base = CONFIG.replace("ORIGIN", origin.url());
            Files.writeString(file, base.replace("HOSTS", "shop.test"));
            Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                    "dev.bulwark.server.Main", "serve", "--config", file.toString(), "--drain", "10s")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Files.readString(out).contains("admin") || !p.isAlive());
                assertThat(p.isAlive()).as(Files.readString(err)).isTrue();
                Matcher m = Pattern.compile("listener http +127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(out));
                assertThat(m.find()).as(Files.readString(out)).isTrue();
                InetSocketAddress edge = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
                assertThat(RawHttp.status(RawHttp.get(edge, "shop.test", "/healthz"))).isEqualTo(200);
                assertThat(RawHttp.status(RawHttp.get(edge, "blog.test", "/healthz"))).isIn(404, 421);

                Files.writeString(file, base.replace("HOSTS", "shop.test, blog.test"));
                hangUp(p);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> RawHttp.status(RawHttp.get(edge, "blog.test", "/healthz")) == 200);

                Files.writeString(file, base.replace("HOSTS", "shop.test, blog.test").replace("url:", "uri:"));
                hangUp(p);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Files.readString(err).contains("config reload refused"));
                assertThat(Files.readString(err)).contains(file + ":13:").contains("unknown key 'uri'");
                assertThat(RawHttp.status(RawHttp.get(edge, "blog.test", "/healthz"))).isEqualTo(200);

                // a request in flight when SIGTERM arrives still completes
                CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
                    try {
                        return RawHttp.get(edge, "shop.test", "/delay/1500");
                    } catch (java.io.IOException e) {
                        return "failed: " + e;
                    }
                });
                Thread.sleep(500); // let the request reach the origin
                p.destroy(); // SIGTERM
                assertThat(slow.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").contains("delayed 1500 ms");
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(err)).contains("shutting down").contains("stopped");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void demoPrintsWorkingCurlCommandsAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "dev.bulwark.server.Main", "demo", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                "--origin", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString(), "--access-log", "off", "--drain", "2s")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(out).contains("Press Ctrl-C") || !p.isAlive());
            String printed = Files.readString(out);
            assertThat(p.isAlive()).as(Files.readString(err)).isTrue();
            assertThat(printed).contains("Bulwark demo is running", "demo CA:", "curl -k --http2 -i https://demo.localhost:");
            Matcher m = Pattern.compile("curl -i http://127\\.0\\.0\\.1:(\\d+)/\n").matcher(printed);
            assertThat(m.find()).as(printed).isTrue();
            InetSocketAddress edge = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            String page = RawHttp.get(edge, "127.0.0.1:" + edge.getPort(), "/");
            assertThat(RawHttp.status(page)).isEqualTo(200);
            assertThat(page).contains("reached through Bulwark");
            assertThat(Files.exists(dir.resolve("data/demo-ca.pem"))).isTrue();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(err)).contains("stopped");
        } finally {
            p.destroyForcibly();
        }
    }

    private static void hangUp(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
