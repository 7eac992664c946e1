package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.Clock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document served at {@code /api/openapi.json} names exactly the routes the API
 * registers: a new route without its documentation, or documentation left behind by a removed
 * route, fails here (the route list comes from Javalin itself).
 */
class OpenApiCoverageTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void everyRegisteredRouteIsDocumentedAndNothingElse() {
        try (ControlPlane cp = ControlPlane.open(new ControlPlane.Settings(TestDatabases.tempDir(), null, null, null, null,
                new InMemorySnapshotBus(), Clock.SYSTEM, Duration.ZERO));
             ControlServer server = ControlServer.start(cp, "127.0.0.1", 0)) {
            SortedSet<String> registered = server.routes();
            assertThat(registered).as("the route listing works").contains("GET /api/v1/zones", "GET /api/openapi.json");

            var reply = new ApiClientForTests(server.baseUrl()).call("GET", "/api/openapi.json", null, null);
            assertThat(reply.status()).isEqualTo(200);
            JsonNode doc = reply.json();
            SortedSet<String> documented = new TreeSet<>();
            doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m)) documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
            }));

            SortedSet<String> undocumented = new TreeSet<>(registered);
            undocumented.removeAll(documented);
            SortedSet<String> stale = new TreeSet<>(documented);
            stale.removeAll(registered);
            assertThat(undocumented).as("registered routes missing from openapi.json").isEmpty();
            assertThat(stale).as("routes in openapi.json that the API does not register").isEmpty();
        }
    }

    @Test
    void everyOperationHasASummaryAndResponses() {
        try (var in = OpenApiCoverageTest.class.getResourceAsStream("/openapi.json")) {
            JsonNode doc = ApiSupport.JSON.readTree(in);
            doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
                if (!METHODS.contains(op.getKey())) return;
                String name = op.getKey() + " " + p.getKey();
                assertThat(op.getValue().path("summary").asText()).as(name + " summary").isNotBlank();
                assertThat(op.getValue().path("responses").size()).as(name + " responses").isPositive();
                if (p.getKey().contains("{")) {
                    JsonNode params = p.getValue().path("parameters");
                    for (String param : p.getKey().replaceAll("[^{}]*\\{([^}]+)}[^{]*", "$1,").split(",")) {
                        boolean declared = false;
                        for (JsonNode d : params) declared |= d.path("name").asText().equals(param) && d.path("in").asText().equals("path");
                        for (JsonNode d : op.getValue().path("parameters")) declared |= d.path("name").asText().equals(param) && d.path("in").asText().equals("path");
                        assertThat(declared).as(name + " declares path parameter " + param).isTrue();
                    }
                }
            }));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
