package dev.bulwark.server.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.server.CliRunner;
import dev.bulwark.server.RawHttp;
import dev.bulwark.server.origin.DemoOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A node started from a file, reloaded through the admin endpoint (the path SIGHUP also takes). */
class ServeReloadTest {
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
                hostnames: [shop.test]
                origins:
                  servers:
                    - url: ORIGIN
            """;

    @Test
    void reloadAddsAHostRefusesABadFileAndKeepsServing(@TempDir Path dir) throws Exception {
        try (DemoOrigin origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1)) {
            Path file = dir.resolve("bulwark.yaml");
            String base = CONFIG.replace("ORIGIN", origin.url());
            Files.writeString(file, base);
            BulwarkNode node = BulwarkNode.start(ConfigLoader.load(file), file, List.of());
            try {
                InetSocketAddress edge = node.listeners().get("http");
                assertThat(RawHttp.status(RawHttp.get(edge, "shop.test", "/healthz"))).isEqualTo(200);
                assertThat(RawHttp.status(RawHttp.get(edge, "blog.test", "/healthz"))).isIn(404, 421);

                // a good file: the new hostname is served, version 2
                Files.writeString(file, base.replace("[shop.test]", "[shop.test, blog.test]"));
                JsonNode ok = reload(node);
                assertThat(ok.get("status").asText()).isEqualTo("ok");
                assertThat(ok.get("version").asLong()).isEqualTo(2);
                assertThat(RawHttp.status(RawHttp.get(edge, "blog.test", "/healthz"))).isEqualTo(200);

                // a bad file: refused with its line, both hostnames keep working
                Files.writeString(file, base.replace("[shop.test]", "[shop.test, blog.test]").replace("    origins:", "    origin:"));
                CliRunner.Run refused = CliRunner.run("reload", "--admin", "127.0.0.1:" + node.adminAddress().getPort());
                assertThat(refused.code()).isEqualTo(1);
                assertThat(refused.err()).contains(file + ":12:").contains("unknown key 'origin'").contains("version 2 keeps running");
                assertThat(RawHttp.status(RawHttp.get(edge, "blog.test", "/healthz"))).isEqualTo(200);
                assertThat(RawHttp.status(RawHttp.get(edge, "shop.test", "/healthz"))).isEqualTo(200);

                // a valid file the edge cannot apply live (a new listener): refused, old config kept
                Files.writeString(file, base.replace("  access_log", "    - name: more\n      address: 127.0.0.1:0\n  access_log"));
                assertThat(ConfigLoader.load(file).edge().listeners()).hasSize(2);
                HttpResponse<String> r = post(node, "/-/reload");
                assertThat(r.statusCode()).isEqualTo(422);
                assertThat(r.body()).contains("listener");
                assertThat(node.reloader().version()).isEqualTo(2);
                assertThat(RawHttp.status(RawHttp.get(edge, "blog.test", "/healthz"))).isEqualTo(200);
            } finally {
                node.shutdown(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void reloadsUnderLoadFailNoRequest(@TempDir Path dir) throws Exception {
        try (DemoOrigin origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1)) {
            Path file = dir.resolve("bulwark.yaml");
            String base = CONFIG.replace("ORIGIN", origin.url()).replace("[shop.test]", "[shop.test, 127.0.0.1]");
            Files.writeString(file, base);
            BulwarkNode node = BulwarkNode.start(ConfigLoader.load(file), file, List.of());
            try {
                URI uri = URI.create("http://127.0.0.1:" + node.listeners().get("http").getPort() + "/delay/20");
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
                java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
                List<Thread> clients = new java.util.ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    clients.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < 2000 && loading.get(); i++) { // bounded in count and by the flag
                            try {
                                // 127.0.0.1 is in every version of the file
                                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
                                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() != 200) failures.add("status " + r.statusCode());
                                done.incrementAndGet();
                            } catch (Exception e) {
                                failures.add(e.toString());
                            }
                        }
                    }));
                }
                for (int v = 0; v < 6; v++) {
                    Files.writeString(file, base.replace("127.0.0.1]", "127.0.0.1, v" + v + ".shop.test]"));
                    assertThat(reload(node).get("version").asLong()).isEqualTo(v + 2);
                    Thread.sleep(150);
                }
                loading.set(false);
                for (Thread c : clients) c.join(Duration.ofSeconds(30));
                assertThat(failures).isEmpty();
                assertThat(done.get()).isPositive();
            } finally {
                node.shutdown(Duration.ofSeconds(1));
            }
        }
    }

    private static HttpResponse<String> post(BulwarkNode node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.adminUrl() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode reload(BulwarkNode node) throws Exception {
        HttpResponse<String> r = post(node, "/-/reload");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }
}
