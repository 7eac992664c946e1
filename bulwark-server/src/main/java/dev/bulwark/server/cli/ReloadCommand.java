package dev.bulwark.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.core.net.HostPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "reload", description = {"Ask a running instance to re-read its config file.",
        "Prints 'reloaded' and the new version, or every problem with file:line; exits 1 when refused."})
public final class ReloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--admin", defaultValue = "127.0.0.1:9090", paramLabel = "HOST:PORT",
            description = "The instance's admin listener (default: ${DEFAULT-VALUE}).")
    HostPort admin;

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION", description = "Give up after (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI uri = URI.create("http://" + admin + "/-/reload");
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("bulwark: cannot reach the admin listener at " + admin + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            err.flush();
            return 1;
        }
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            err.println("bulwark: unexpected answer from " + uri + " (HTTP " + response.statusCode() + "): " + response.body());
            err.flush();
            return 1;
        }
        if (response.statusCode() == 200) {
            out.println("reloaded: " + body.path("source").asText() + " is now version " + body.path("version").asLong());
            out.flush();
            return 0;
        }
        for (JsonNode p : body.path("problems")) err.println(p.path("message").asText(p.toString()));
        err.println("bulwark: reload refused (HTTP " + response.statusCode() + "); version "
                + body.path("version").asLong() + " keeps running");
        err.flush();
        return 1;
    }
}
