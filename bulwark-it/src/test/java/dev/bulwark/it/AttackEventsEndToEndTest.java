package dev.bulwark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.origin.DemoOrigin;
import dev.bulwark.server.runtime.BulwarkNode;
import dev.bulwark.server.runtime.ControlWiring;
import dev.bulwark.server.runtime.StartupConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real flood (loopback, bounded to 15 s) makes the zone's detector open an attack event; the
 * node's admin listener lists it live ({@code GET /-/attacks}), with or without a control plane,
 * and with one the store keeps it and the API serves it in the same JSON shape.
 */
class AttackEventsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;
    private DemoOrigin origin;
    private BulwarkConfig config;
    private ControlWiring control;
    private BulwarkNode node;

    @BeforeEach
    void start() throws Exception {
        origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1);
        HostPort any = HostPort.parse("127.0.0.1:0");
        config = StartupConfigs.proxy(any, origin.url(), List.of(), any, "off", 1);
    }

    @AfterEach
    void stop() {
        if (node != null) node.shutdown(Duration.ofSeconds(1));
        if (control != null) control.close();
        if (origin != null) origin.close();
    }

    @Test
    void withoutAStoreTheAdminListenerListsTheEdgesLiveEvents() throws Exception {
        node = BulwarkNode.start(config, null, List.of());
        JsonNode event = floodUntilAnEventOpens();
        assertThat(event.get("zone").asText()).isEqualTo("proxy");
        assertThat(event.get("peak_rate").asDouble()).isGreaterThan(100);
        assertThat(event.has("signature")).isTrue();
        assertThat(get("/-/attacks?zone=other", null).get("items")).isEmpty();
    }

    @Test
    void withAStoreTheEventIsKeptAndServedByTheApi() throws Exception {
        control = ControlWiring.open(dataDir, null, null, null, config);
        control.seed(config, "test", "the proxy zone");
        node = control.startNode(config);
        String token = control.bootstrapToken().orElseThrow();
        JsonNode live = floodUntilAnEventOpens();

        JsonNode stored = null;
        for (int i = 0; i < 100 && stored == null; i++) { // the journal writes off the detector's thread
            JsonNode items = get("/api/v1/zones/proxy/attacks", token).get("items");
            if (!items.isEmpty()) stored = items.get(0);
            else Thread.sleep(50);
        }
        assertThat(stored).as("stored and served by the API").isNotNull();
        assertThat(stored.get("id").asText()).isEqualTo(live.get("id").asText());
        List<String> liveKeys = new ArrayList<>(), storedKeys = new ArrayList<>();
        live.fieldNames().forEachRemaining(liveKeys::add);
        stored.fieldNames().forEachRemaining(storedKeys::add);
        assertThat(storedKeys).as("one JSON shape").isEqualTo(liveKeys);
        assertThat(get("/api/v1/attacks", token).get("items")).isNotEmpty();
        assertThat(get("/api/v1/zones/proxy/analytics", token).get("attacks")).isNotEmpty();
    }

    /** Four keep-alive clients request as fast as they can until /-/attacks lists an event (at most 15 s). */
    private JsonNode floodUntilAnEventOpens() throws Exception {
        InetSocketAddress edge = node.listeners().get("http");
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> flooders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            flooders.add(Thread.ofPlatform().name("flood-" + t).start(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                try (KeepAliveHttp c = new KeepAliveHttp(edge, null)) {
                    for (int i = 0; i < 1_000_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                        try {
                            c.get("127.0.0.1", "/1k");
                        } catch (IOException e) {
                            c.close(); // refused or closed by the mitigation: reconnect
                        }
                    }
                } catch (IOException ignored) {
                    // cannot connect: the assertion below reports no event
                }
            }));
        }
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode items = get("/-/attacks", null).get("items");
                if (!items.isEmpty()) return items.get(0);
                Thread.sleep(100);
            }
            throw new AssertionError("no attack event within 15 s of flooding");
        } finally {
            stop.set(true);
            for (Thread f : flooders) f.join(10_000);
        }
    }

    private JsonNode get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.adminUrl() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
