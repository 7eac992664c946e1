package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls against a running API, for tests. */
final class ApiClientForTests {
    record Reply(int status, String contentType, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** The ids of a listing's items, in order, and how many pages held them. */
    record Pages(java.util.List<String> ids, int pages) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    ApiClientForTests(String base) { this.base = base; }

    Reply call(String method, String path, String token, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    /** Follows {@code next_cursor} from {@code path} (which already has a query) to the end, at most 10 pages. */
    Pages pageThrough(String path, String token) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode p = call("GET", path + (cursor == null ? "" : "&cursor=" + cursor), token, null).json();
            p.get("items").forEach(item -> ids.add(item.get("id").asText()));
            cursor = p.get("next_cursor").isNull() ? null : p.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        return new Pages(ids, pages);
    }
}
