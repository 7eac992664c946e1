package dev.bulwark.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.CliRunner;
import dev.bulwark.server.runtime.ConfigReloader;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin listener over real sockets: metrics, health, reload good and bad. */
class AdminServerTest {
    private static final String CONFIG = """
            edge:
              listeners:
                - address: 127.0.0.1:0
            zones:
              - id: shop
                hostnames: [shop.test]
                origins:
                  servers:
                    - url: http://127.0.0.1:18080
            """;
    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private AdminServer admin;

    @AfterEach
    void stop() {
        if (admin != null) admin.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(admin.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsArePrometheusTextAndHealthIsOk() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("bulwark_test_requests", "zone", "shop").increment(3);
        admin = AdminServer.start(HostPort.parse("127.0.0.1:0"), List.of(new MetricsRoutes(registry)));
        HttpResponse<String> m = send("GET", "/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(m.body()).contains("bulwark_test_requests_total{zone=\"shop\"} 3.0");
        assertThat(json.readTree(send("GET", "/healthz").body()).get("status").asText()).isEqualTo("ok");
        HttpResponse<String> missing = send("GET", "/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void reloadAppliesAGoodFileAndRefusesABadOneKeepingTheOldConfig(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bulwark.yaml");
        Files.writeString(file, CONFIG);
        List<BulwarkConfig> applied = new CopyOnWriteArrayList<>();
        ConfigReloader reloader = new ConfigReloader(file, ConfigLoader.load(file), applied::add);
        admin = AdminServer.start(HostPort.parse("127.0.0.1:0"), List.of(new ReloadRoutes(reloader)));

        Files.writeString(file, CONFIG.replace("shop.test", "shop.test, www.shop.test"));
        HttpResponse<String> ok = send("POST", "/-/reload");
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode okBody = json.readTree(ok.body());
        assertThat(okBody.get("status").asText()).isEqualTo("ok");
        assertThat(okBody.get("version").asLong()).isEqualTo(2);
        assertThat(applied).hasSize(1);
        assertThat(reloader.current().zones().getFirst().hostnames()).containsExactly("shop.test", "www.shop.test");

        Files.writeString(file, CONFIG.replace("http://127.0.0.1:18080", "gopher://x").replace("hostnames", "hostnamez"));
        HttpResponse<String> bad = send("POST", "/-/reload");
        assertThat(bad.statusCode()).isEqualTo(422);
        JsonNode badBody = json.readTree(bad.body());
        assertThat(badBody.get("status").asText()).isEqualTo("refused");
        assertThat(badBody.get("version").asLong()).isEqualTo(2);
        JsonNode problem = badBody.get("problems").get(0);
        assertThat(problem.get("line").asInt()).isEqualTo(6);
        assertThat(problem.get("source").asText()).isEqualTo(file.toString());
        assertThat(problem.get("message").asText()).startsWith(file + ":6:").contains("unknown key 'hostnamez'");
        assertThat(applied).hasSize(1);
        assertThat(reloader.version()).isEqualTo(2);
        assertThat(reloader.current().zones().getFirst().hostnames()).containsExactly("shop.test", "www.shop.test");
        assertThat(json.readTree(send("GET", "/-/config/version").body()).get("version").asLong()).isEqualTo(2);

        // the reload command prints the refusal and exits 1, then 0 once the file is fixed
        var refused = CliRunner.run("reload", "--admin", HostPort.parse("127.0.0.1:" + admin.address().getPort()).toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains(file + ":6:").contains("version 2 keeps running");
        Files.writeString(file, CONFIG);
        var accepted = CliRunner.run("reload", "--admin", "127.0.0.1:" + admin.address().getPort());
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.out()).contains("version 3");
    }

    @Test
    void aConfigTheTargetCannotApplyIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bulwark.yaml");
        Files.writeString(file, CONFIG);
        ConfigReloader reloader = new ConfigReloader(file, ConfigLoader.load(file), next -> {
            throw new java.net.BindException("Address already in use");
        });
        admin = AdminServer.start(HostPort.parse("127.0.0.1:0"), List.of(new ReloadRoutes(reloader)));
        HttpResponse<String> r = send("POST", "/-/reload");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("could not be applied: Address already in use");
        assertThat(reloader.version()).isEqualTo(1);
    }

    @Test
    void reloadWithoutAConfigFileIsAConflict() throws Exception {
        ConfigReloader reloader = new ConfigReloader(null, ConfigLoader.parse("x", CONFIG, null), next -> { });
        admin = AdminServer.start(HostPort.parse("127.0.0.1:0"), List.of(new ReloadRoutes(reloader)));
        HttpResponse<String> r = send("POST", "/-/reload");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("without a config file");
    }

    @Test
    void aBusyAddressIsAClearError() {
        admin = AdminServer.start(HostPort.parse("127.0.0.1:0"), List.of());
        String busy = "127.0.0.1:" + admin.address().getPort();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AdminServer.start(HostPort.parse(busy), List.of()))
                .hasMessageContaining("cannot start the admin listener on " + busy);
    }
}
