package dev.bulwark.control.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.core.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * Base of every CLI command that talks to the API: the shared {@code --api}, {@code --token}
 * and {@code --json} options, and one place that turns outcomes into exit codes — 0 done,
 * 1 the API refused (its problem details printed), 2 usage error or API unreachable.
 */
abstract class ApiCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int UNREACHABLE = 2; // also usage errors, as picocli's own

    @CommandLine.Spec
    CommandSpec spec;

    @CommandLine.Option(names = "--api", defaultValue = "${env:BULWARK_API:-http://127.0.0.1:9090}",
            description = "Control-plane API base URL (default: ${DEFAULT-VALUE}).")
    String api;

    @CommandLine.Option(names = "--token", defaultValue = "${env:BULWARK_TOKEN}",
            description = "API token (default: the BULWARK_TOKEN environment variable).")
    String token;

    @CommandLine.Option(names = "--json", description = "Print the API's JSON instead of text.")
    boolean json;

    /** Does the work; throws {@link ApiClient.Refused} or {@link ApiClient.Unreachable} on failure. */
    abstract void run(ApiClient client) throws Exception;

    @Override
    public final Integer call() throws Exception {
        if (token == null || token.isBlank()) {
            spec.commandLine().getErr().println("error: no token: pass --token or set BULWARK_TOKEN");
            spec.commandLine().getErr().flush();
            return UNREACHABLE;
        }
        try {
            run(new ApiClient(api, token));
            return OK;
        } catch (ApiClient.Refused e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + e.getMessage());
            if (e.problem != null && e.problem.has("errors")) {
                for (JsonNode fe : e.problem.get("errors")) {
                    String field = fe.path("field").asText("");
                    err.println("  " + (field.isEmpty() ? "" : field + ": ") + fe.path("reason").asText());
                }
            }
            err.flush();
            return REFUSED;
        } catch (ApiClient.Unreachable | UsageProblem e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return UNREACHABLE;
        }
    }

    /** A usage mistake found after parsing (exit 2). */
    static final class UsageProblem extends RuntimeException {
        UsageProblem(String message) { super(message); }
    }

    PrintWriter out() { return spec.commandLine().getOut(); }

    /** Prints {@code node} as JSON when --json, else through {@code text}. */
    void print(JsonNode node, Runnable text) {
        if (json) {
            try {
                out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            text.run();
        }
        out().flush();
    }

    static String yaml(JsonNode node) {
        try {
            return ConfigLoader.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
