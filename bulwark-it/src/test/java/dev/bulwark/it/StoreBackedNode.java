package dev.bulwark.it;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.net.HostPort;
import dev.bulwark.server.origin.DemoOrigin;
import dev.bulwark.server.runtime.BulwarkNode;
import dev.bulwark.server.runtime.ControlWiring;
import dev.bulwark.server.runtime.StartupConfigs;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real node with its control plane, wired as {@code demo} wires it (SQLite under a temporary
 * directory, the store seeded with the node's config, API on the admin listener), in front of the
 * demo origin; the config is the one-zone {@code proxy} config (zone {@code proxy} answering
 * 127.0.0.1), optionally changed by the test.
 */
final class StoreBackedNode implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final DemoOrigin origin;
    final BulwarkConfig config;
    ControlWiring control;
    BulwarkNode node;

    private StoreBackedNode(DemoOrigin origin, BulwarkConfig config) {
        this.origin = origin;
        this.config = config;
    }

    /** The origin and the config only; {@link #startWithStore} or the test starts the node. */
    static StoreBackedNode prepare(UnaryOperator<BulwarkConfig> change) throws Exception {
        DemoOrigin origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1);
        HostPort any = HostPort.parse("127.0.0.1:0");
        // named hosts, not the catch-all "*": the tests create zones for other names and need them unclaimed first
        return new StoreBackedNode(origin, change.apply(StartupConfigs.proxy(any, origin.url(), List.of("localhost"), any, "off", 1)));
    }

    static StoreBackedNode start(Path dataDir, UnaryOperator<BulwarkConfig> change) throws Exception {
        StoreBackedNode n = prepare(change);
        try {
            n.startWithStore(dataDir);
        } catch (Exception | Error e) {
            n.close();
            throw e;
        }
        return n;
    }

    void startWithStore(Path dataDir) throws Exception {
        control = ControlWiring.open(dataDir, null, null, null, config);
        control.seed(config, "test", "the proxy zone");
        node = control.startNode(config);
    }

    String token() { return control.bootstrapToken().orElseThrow(); }

    /** A call to the node's admin listener, with the bootstrap token when there is a store. */
    HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.adminUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (control != null) b.header("Authorization", "Bearer " + token());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (node != null) node.shutdown(Duration.ofSeconds(1));
        if (control != null) control.close();
        origin.close();
    }
}
