package dev.bulwark.it;

import dev.bulwark.core.config.DdosConfig;
import dev.bulwark.core.config.ZoneConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6's end-to-end check on a real node (edge + control plane, wired as {@code demo} wires
 * it) in front of a real origin, while a bounded background load flows all the while: a zone
 * created through the API is served within a second; a firewall rule added through the API is
 * applied by the running edge within a second; rolling the config back removes it within a
 * second; and no request of the load failed, apart from those the rule blocked on purpose
 * (403 with the firewall's message, on the path it names, while it was in force).
 */
class LiveConfigEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final String FIREWALL_BLOCK = "blocked by the site's security rules";
    private static final String BLOCKED_PATH = "/echo";

    @TempDir
    Path dataDir;
    private StoreBackedNode n;
    private InetSocketAddress edge;

    @BeforeEach
    void start() throws Exception {
        // Two clients at full speed from one address are a flood by the attack detector's measure, which
        // would rightly block them; this test is about live config, so automatic mitigation is off.
        n = StoreBackedNode.start(dataDir, c -> c.withZones(c.zones().stream().map(z -> new ZoneConfig(z.id(), z.hostnames(),
                z.tls(), z.origins(), z.timeouts(), z.limits(), z.firewall(), z.lists(), z.rateLimits(), z.challenge(),
                new DdosConfig(false, null, null, null, null, null), z.enforcement())).toList()));
        edge = n.node.listeners().get("http");
    }

    @AfterEach
    void stop() {
        if (n != null) n.close();
    }

    /** One background client: requests in a loop until stopped (at most 60 s, 200,000 requests). */
    private final class Load implements Runnable {
        final String host;
        final String[] paths;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong ok = new AtomicLong(), blockedByRule = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        volatile boolean ruleMayBlock;
        final Thread thread;

        Load(String host, String... paths) {
            this.host = host;
            this.paths = paths;
            this.thread = Thread.ofPlatform().name("load-" + host).start(this);
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            try (KeepAliveHttp c = new KeepAliveHttp(edge, null)) {
                for (int i = 0; i < 200_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                    String path = paths[i % paths.length];
                    boolean mayBlock = ruleMayBlock; // read before the request: the rule is in force or on its way
                    try {
                        KeepAliveHttp.Response r = c.get(host, path + (path.contains("?") ? "&" : "?") + "n=" + i);
                        if (r.status() == 200) ok.incrementAndGet();
                        else if (r.status() == 403 && mayBlock && path.equals(BLOCKED_PATH) && r.body().contains(FIREWALL_BLOCK)) blockedByRule.incrementAndGet();
                        else failures.add(path + " -> " + r.status() + " " + r.body());
                    } catch (IOException e) {
                        failures.add(path + " -> " + e);
                        c.close();
                    }
                    if (failures.size() > 20) return;
                }
            } catch (IOException e) {
                failures.add("cannot connect: " + e);
            }
        }

        void finish() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }

    @Test
    void zoneAndRuleChangesReachTheRunningEdgeWithinASecondWhileRequestsFlow() throws Exception {
        Load steady = new Load("127.0.0.1", "/", "/echo", "/1k");
        Load site = null;
        try {
            awaitMillis(() -> steady.ok.get() > 20, Duration.ofSeconds(10));
            assertThat(status("shop.test", "/1k")).as("before the zone exists").isIn(404, 421);

            // 1. a zone created through the API is served within a second
            String zone = "{\"id\":\"shop\",\"hostnames\":[\"shop.test\"],\"ddos\":{\"auto_mitigate\":false},\"origins\":{\"servers\":[{\"url\":\"" + n.origin.url() + "\"}]}}";
            HttpResponse<String> created = api("POST", "/api/v1/zones", zone);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            long beforeRule = JSON.readTree(created.body()).get("version").asLong();
            long zoneMillis = awaitMillis(() -> status("shop.test", "/1k") == 200, WITHIN);
            site = new Load("shop.test", "/1k", BLOCKED_PATH);
            final Load shop = site;
            awaitMillis(() -> shop.ok.get() > 20, Duration.ofSeconds(10));

            // 2. a firewall rule added through the API is applied within a second
            shop.ruleMayBlock = true;
            HttpResponse<String> rule = api("POST", "/api/v1/zones/shop/firewall-rules",
                    "{\"id\":\"no-echo\",\"expression\":\"http.request.uri.path eq \\\"/echo\\\"\",\"action\":\"block\"}");
            assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
            long ruleMillis = awaitMillis(() -> status("shop.test", BLOCKED_PATH) == 403, WITHIN);
            assertThat(status("shop.test", "/1k")).isEqualTo(200);
            awaitMillis(() -> shop.blockedByRule.get() > 10, Duration.ofSeconds(10));

            // 3. rolling back to the version before the rule removes it within a second
            HttpResponse<String> rolled = api("POST", "/api/v1/config/rollback", "{\"version\":" + beforeRule + ",\"message\":\"undo no-echo\"}");
            assertThat(rolled.statusCode()).as(rolled.body()).isEqualTo(201);
            long rollbackMillis = awaitMillis(() -> status("shop.test", BLOCKED_PATH) == 200, WITHIN);
            long blockedAtRollback = shop.blockedByRule.get();
            Thread.sleep(200); // the edge has the rolled-back snapshot: in-flight requests drain
            shop.ruleMayBlock = false;
            long okBefore = shop.ok.get();
            awaitMillis(() -> shop.ok.get() > okBefore + 20, Duration.ofSeconds(10));
            System.out.printf("zone served after %d ms, rule applied after %d ms, rollback applied after %d ms%n",
                    zoneMillis, ruleMillis, rollbackMillis);

            shop.finish();
            steady.finish();
            assertThat(steady.failures).as("failed requests to the steady zone").isEmpty();
            assertThat(shop.failures).as("failed requests to the changing zone").isEmpty();
            assertThat(steady.ok.get()).isGreaterThan(100);
            assertThat(shop.ok.get()).isGreaterThan(40);
            assertThat(shop.blockedByRule.get()).isGreaterThanOrEqualTo(blockedAtRollback).isGreaterThan(10);
            System.out.printf("background load: steady %d ok; changing zone %d ok, %d blocked by the rule%n",
                    steady.ok.get(), shop.ok.get(), shop.blockedByRule.get());
        } finally {
            steady.finish();
            if (site != null) site.finish();
        }
    }

    /** Polls {@code condition} every 10 ms; fails unless it holds within {@code limit}; returns the milliseconds it took. */
    private static long awaitMillis(java.util.concurrent.Callable<Boolean> condition, Duration limit) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            if (condition.call()) return Duration.ofNanos(System.nanoTime() - t0).toMillis();
            if (System.nanoTime() - t0 > limit.toNanos()) throw new AssertionError("not within " + limit);
            Thread.sleep(10);
        }
    }

    private int status(String host, String path) throws IOException {
        try (KeepAliveHttp c = new KeepAliveHttp(edge, null)) {
            return c.get(host, path).status();
        }
    }

    private HttpResponse<String> api(String method, String path, String body) throws Exception { return n.api(method, path, body); }
}
