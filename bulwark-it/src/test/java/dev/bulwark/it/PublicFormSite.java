package dev.bulwark.it;

import com.microsoft.playwright.Page;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.api.ControlServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the public-form browser tests (abuse report, appeal) open pages on: a control plane on
 * SQLite serving HTTP on a free port, with zone {@code forum} ({@code forum.example}), and
 * Debian's Chromium headless.
 */
final class PublicFormSite implements AutoCloseable {
    /** How long a page may take to solve its puzzle (16 bits take about a second on the test machine). */
    static final double SOLVE_TIMEOUT_MS = 30_000;

    final ControlPlane cp;
    final ControlServer server;
    final Chromium chromium;

    private PublicFormSite(ControlPlane cp, ControlServer server, Chromium chromium) {
        this.cp = cp;
        this.server = server;
        this.chromium = chromium;
    }

    static PublicFormSite start() throws Exception {
        ControlPlane cp = ControlPlane.open(ControlPlane.Settings.sqlite(Files.createTempDirectory("bulwark-public-form-"), null));
        ControlServer server = null;
        try {
            server = ControlServer.start(cp, "127.0.0.1", 0);
            PublicFormSite site = new PublicFormSite(cp, server, null);
            site.post("/api/v1/zones", "{\"id\":\"forum\",\"hostnames\":[\"forum.example\"],\"origins\":{\"servers\":[{\"url\":\"http://127.0.0.1:9\"}]}}");
            return new PublicFormSite(cp, server, Chromium.launch(List.of()));
        } catch (Exception | AssertionError e) {
            if (server != null) server.close();
            cp.close();
            throw e;
        }
    }

    /** POSTs {@code json} with the owner's token; the answer must be 201. Returns its body. */
    String post(String path, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Authorization", "Bearer " + cp.bootstrapToken().orElseThrow()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r.body();
    }

    String url(String path) { return server.baseUrl() + path; }

    /** The page's console errors and uncaught exceptions from now on (a CSP violation shows here). */
    static List<String> problems(Page page) {
        List<String> problems = new CopyOnWriteArrayList<>();
        page.onConsoleMessage(m -> { if (m.type().equals("error")) problems.add(m.text()); });
        page.onPageError(problems::add);
        return problems;
    }

    @Override
    public void close() {
        try {
            if (chromium != null) chromium.close();
        } finally {
            server.close();
            cp.close();
        }
    }
}
