package dev.bulwark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The CLI's HTTP client for the control-plane API. A refusal from the API becomes
 * {@link Refused} (exit 1) carrying the problem details; not reaching the API at all becomes
 * {@link Unreachable} (exit 2).
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The API answered with an error status. */
    static final class Refused extends RuntimeException {
        final int status;
        final JsonNode problem;

        Refused(int status, JsonNode problem, String message) {
            super(message);
            this.status = status;
            this.problem = problem;
        }
    }

    /** The API could not be reached or answered something that is not the API. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) { super(message); }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    JsonNode get(String path) { return send("GET", path, null, "application/json"); }

    JsonNode post(String path, String body) { return send("POST", path, body, "application/json"); }

    JsonNode post(String path, String body, String contentType) { return send("POST", path, body, contentType); }

    JsonNode put(String path, String body) { return send("PUT", path, body, "application/json"); }

    JsonNode delete(String path) { return send("DELETE", path, null, "application/json"); }

    String getText(String path) {
        return exchange("GET", path, null, "application/json").body();
    }

    private JsonNode send(String method, String path, String body, String contentType) {
        HttpResponse<String> r = exchange(method, path, body, contentType);
        try {
            return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new Unreachable(base + " did not answer with JSON (is it the Bulwark admin listener?)");
        }
    }

    private HttpResponse<String> exchange(String method, String path, String body, String contentType) {
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("bad API URL '" + base + "': " + e.getMessage());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", contentType);
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Unreachable("cannot connect to " + base + " (is Bulwark running with a store?)");
        } catch (HttpTimeoutException e) {
            throw new Unreachable(base + " did not answer in time");
        } catch (IOException e) {
            throw new Unreachable("cannot reach " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
        if (r.statusCode() >= 400) {
            JsonNode problem = null;
            try {
                problem = JSON.readTree(r.body());
            } catch (IOException ignored) {
                // not a problem document; the status line says enough
            }
            String detail = problem != null && problem.hasNonNull("detail") ? problem.get("detail").asText() : r.body();
            throw new Refused(r.statusCode(), problem, r.statusCode() + " " + detail);
        }
        return r;
    }
}
