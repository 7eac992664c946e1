package dev.bulwark.control;

import dev.bulwark.control.audit.AuditChain;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every write the API acknowledged survives SIGKILL: a child JVM serves the API on the
 * SQLite store, a writer here creates zones as fast as it can, the child is killed with
 * SIGKILL in the middle of the burst, and a fresh control plane on the same data directory
 * must hold every zone that got a 201 (and an intact audit chain).
 */
class DurabilityTest {
    @Test
    @Timeout(120)
    void acknowledgedWritesSurviveSigkill() throws Exception {
        Path dataDir = TestDatabases.tempDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DurabilityServerMain.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String ready = null;
            for (int i = 0; i < 500 && ready == null; i++) {
                String l = lines.readLine();
                if (l == null) break;
                if (l.startsWith("READY ")) ready = l;
            }
            assertThat(ready).as("child server started").isNotNull();
            String[] parts = ready.split(" ");
            String base = "http://127.0.0.1:" + parts[1];
            String token = parts[2];
            Thread drain = new Thread(() -> { try { while (lines.readLine() != null) { } } catch (Exception ignored) { } });
            drain.setDaemon(true);
            drain.start();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 2000 && !stop.get(); i++) {
                    String id = "z" + i;
                    String body = "{\"id\":\"" + id + "\",\"hostnames\":[\"" + id + ".example\"],\"origins\":{\"servers\":[{\"url\":\"http://127.0.0.1:1\"}]}}";
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/zones"))
                                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) acknowledged.add(id);
                    } catch (Exception e) {
                        return; // the server is gone
                    }
                }
            });
            writer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < 25 && System.nanoTime() < deadline && writer.isAlive()) Thread.sleep(5);
            child.destroyForcibly(); // SIGKILL, mid-burst: the writer is still sending
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            writer.join(10_000);
            assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL
        } finally {
            child.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(25);

        try (ControlPlane reopened = ControlPlane.open(new ControlPlane.Settings(dataDir, null, null, null, null, null, Clock.SYSTEM, Duration.ZERO))) {
            List<String> missing = new ArrayList<>();
            for (String id : acknowledged) if (reopened.store().zone(id).isEmpty()) missing.add(id);
            assertThat(missing).as("acknowledged writes lost").isEmpty();
            AuditChain.Verification v = reopened.auditChain().verify();
            assertThat(v.intact()).as(String.valueOf(v.reason())).isTrue();
            assertThat(reopened.store().latestVersion()).isGreaterThanOrEqualTo(acknowledged.size());
            assertThat(reopened.bootstrapToken()).isEmpty(); // the owner exists; no second bootstrap
        }
    }
}
