package dev.bulwark.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.cluster.limit.EmbeddedRedis;
import dev.bulwark.control.store.RootSafePostgres;
import dev.bulwark.core.challenge.PowSolver;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.server.origin.DemoOrigin;
import dev.bulwark.server.runtime.BulwarkNode;
import dev.bulwark.server.runtime.ControlWiring;
import dev.bulwark.server.runtime.StoreFollower;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster mode end to end: two nodes in this JVM, each its own {@link BulwarkNode} with its own
 * ports, sharing one embedded Redis and one embedded PostgreSQL. Node A runs the control plane
 * on the shared store; node B is edge-only (it reads the store read-only). Requests go over real
 * sockets to both edges in front of the demo origin.
 */
class ClusterFleetTest {
    private static final String UA = "cluster-test/1.0";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static EmbeddedRedis redis;
    static EmbeddedPostgres postgres;
    static DemoOrigin origin;
    static Path dir;
    static String jdbcUrl;
    static ControlWiring control;
    static BulwarkNode a;
    static StoreFollower follower;
    static BulwarkNode b;
    static String token;

    @BeforeAll
    static void startFleet() throws Exception {
        redis = new EmbeddedRedis();
        postgres = RootSafePostgres.start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE fleet");
        }
        jdbcUrl = postgres.getJdbcUrl("postgres", "fleet");
        origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1);
        dir = Files.createTempDirectory("bulwark-fleet");
        BulwarkConfig configA = config("node-a");
        control = ControlWiring.open(dir.resolve("a"), jdbcUrl, "postgres", null, configA);
        control.seed(configA, "test", "fleet zones");
        a = control.startNode(configA);
        token = control.bootstrapToken().orElseThrow();
        startB();
    }

    static void startB() throws Exception {
        BulwarkConfig configB = config("node-b");
        follower = StoreFollower.open(jdbcUrl, "postgres", null, configB);
        b = follower.startNode(configB);
    }

    static void stopB() {
        b.close();
        follower.close();
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (b != null) stopB();
        if (a != null) a.close();
        if (control != null) control.close();
        if (origin != null) origin.close();
        if (postgres != null) postgres.close();
        if (redis != null) redis.close();
    }

    /** Each node's file: its own listeners and admin port, the fleet's Redis; zones are seeded from A's into the store. */
    static BulwarkConfig config(String node) throws Exception {
        Path file = dir.resolve(node + ".yaml");
        Files.writeString(file, """
                edge:
                  listeners: [{name: http, address: "127.0.0.1:0"}]
                  access_log: "off"
                admin: {address: "127.0.0.1:0"}
                cluster: {redis: "redis://127.0.0.1:%d", node_id: %s}
                zones:
                  - id: app
                    hostnames: [127.0.0.1]
                    origins: {servers: [{url: "%s"}]}
                    challenge: {under_attack: true, difficulty: 8, exempt_paths: [/status/]}
                    rate_limits:
                      - id: api
                        expression: 'starts_with(http.request.uri.path, "/status/")'
                        key: ['http.request.headers["x-client"]']
                        period: 1m
                        requests: 10
                        action: block
                        mitigation_timeout: 10m
                """.formatted(redis.port, node, origin.url()));
        return ConfigLoader.load(file);
    }

    @Test
    void aRateLimitCountsTheRequestsOfBothNodes() throws Exception {
        for (int i = 0; i < 6; i++) assertThat(api(a, "split").statusCode()).isEqualTo(200); // A alone: 6 of 10
        int onB = 0;
        int status = 200;
        while (status == 200 && onB < 9) { // B alone stays under the limit of 10
            Thread.sleep(150); // about one counter sync: B learns the fleet's total for the key
            status = api(b, "split").statusCode();
            onB++;
        }
        assertThat(status).isEqualTo(429);
        assertThat(onB).isBetween(5, 8); // 6 on A + 5 on B is the first count over 10
    }

    @Test
    void aBanMadeOnANodeIsEnforcedByTheOtherWithinASecond() throws Exception {
        for (int i = 0; i < 10; i++) assertThat(api(a, "tripper").statusCode()).isEqualTo(200);
        assertThat(api(a, "tripper").statusCode()).isEqualTo(429); // A trips the limit and bans the key
        long tripped = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                b.fleet().blocklist().list(1000).stream().anyMatch(ban -> ban.reason().equals("rate limit api")));
        System.out.printf("CLUSTER_BAN_PROPAGATION_MS %.1f%n", (System.nanoTime() - tripped) / 1e6);
        // B never counted this client: only the shared ban refuses its first request there
        HttpResponse<String> first = api(b, "tripper");
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(first.headers().firstValue("retry-after").orElseThrow())).isGreaterThan(500);
        assertThat(api(b, "someone-else").statusCode()).isEqualTo(200);
    }

    @Test
    void aClearanceFromOneNodeIsAcceptedByTheOtherAndSurvivesARestart() throws Exception {
        assertThat(get(b, "/", null).statusCode()).isEqualTo(403); // under attack: challenged without clearance
        String cookie = solve(a);
        HttpResponse<String> onB = get(b, "/", cookie);
        assertThat(onB.statusCode()).isEqualTo(200);

        stopB();
        startB(); // a fresh process would create a new in-memory ring; the fleet's ring is in Redis
        assertThat(get(b, "/", cookie).statusCode()).isEqualTo(200);
        assertThat(get(a, "/", cookie).statusCode()).isEqualTo(200);
    }

    @Test
    void aRuleAddedThroughNodeAsApiIsAppliedOnBWithinASecond() throws Exception {
        assertThat(api(b, "rules", "/status/204").statusCode()).isEqualTo(204);
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(a.adminUrl() + "/api/v1/zones/app/firewall-rules"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"id": "closed", "expression": "http.request.uri.path eq \\"/status/204\\"", "action": "block"}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long committed = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger(); // a client per poll: under the rate limit
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> api(b, "rules-" + polls.incrementAndGet(), "/status/204").statusCode() == 403);
        System.out.printf("CLUSTER_CONFIG_PROPAGATION_MS %.1f%n", (System.nanoTime() - committed) / 1e6);
        assertThat(api(a, "rules", "/status/204").statusCode()).isEqualTo(403);
    }

    /**
     * Two control-plane processes behind one address: a report puzzle issued by one verifies on
     * the other, because both sign with the fleet's key ring (each would otherwise use its own
     * key file under its data directory and refuse the other's puzzles as forged).
     */
    @Test
    void anAbuseFormPuzzleFromOneControlPlaneIsAcceptedByAnother() throws Exception {
        BulwarkConfig configC = config("node-c");
        try (ControlWiring second = ControlWiring.open(dir.resolve("c"), jdbcUrl, "postgres", null, configC);
             BulwarkNode c = second.startNode(configC)) {
            for (BulwarkNode[] pair : new BulwarkNode[][]{{a, c}, {c, a}}) {
                JsonNode puzzle = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(pair[0].adminUrl() + "/api/v1/abuse-reports/challenge"))
                        .header("User-Agent", UA).build(), HttpResponse.BodyHandlers.ofString()).body());
                long counter = PowSolver.solve(HexFormat.of().parseHex(puzzle.get("nonce").asText()), puzzle.get("difficulty").asInt());
                HttpResponse<String> filed = HTTP.send(HttpRequest.newBuilder(URI.create(pair[1].adminUrl() + "/api/v1/abuse-reports"))
                        .header("User-Agent", UA).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"category": "harassment", "urls": ["http://127.0.0.1/t/1"], "description": "a pile-on",
                                 "pow": {"token": "%s", "counter": %d}}""".formatted(puzzle.get("token").asText(), counter)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
            }
        }
    }

    @Test
    void dashboardSignInAttemptsCountAcrossTheFleetsControlPlanes() throws Exception {
        BulwarkConfig configC = config("node-c");
        try (ControlWiring second = ControlWiring.open(dir.resolve("c"), jdbcUrl, "postgres", null, configC);
             BulwarkNode c = second.startNode(configC)) {
            for (int i = 0; i < 10; i++) { // alternating: each control plane has seen only half the attempts itself
                BulwarkNode node = i % 2 == 0 ? a : c;
                assertThat(signIn(node, "bwk_guess-" + i)).as("attempt %d, on node %s", i + 1, i % 2 == 0 ? "a" : "c").isEqualTo(401);
            }
            assertThat(signIn(c, "bwk_guess-10")).as("the 11th attempt of this address, the 6th on node c").isEqualTo(429);
            assertThat(signIn(a, "bwk_guess-11")).as("the 12th, on node a").isEqualTo(429);
        }
    }

    private static int signIn(BulwarkNode node, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/dashboard/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void eachNodeReportsItsRedisHealth() throws Exception {
        for (BulwarkNode n : new BulwarkNode[]{a, b}) {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(n.adminUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("bulwark_cluster_redis_up{node=\"" + n.fleet().settings().nodeId() + "\"} 1.0");
        }
    }

    private static HttpResponse<String> api(BulwarkNode node, String client) throws Exception { return api(node, client, "/status/200"); }

    private static HttpResponse<String> api(BulwarkNode node, String client, String path) throws Exception {
        return HTTP.send(request(node, path).header("x-client", client).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(BulwarkNode node, String path, String cookie) throws Exception {
        HttpRequest.Builder r = request(node, path).header("Accept", "text/html");
        if (cookie != null) r.header("Cookie", cookie);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(BulwarkNode node, String path) {
        int port = node.listeners().get("http").getPort();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("User-Agent", UA)
                .timeout(Duration.ofSeconds(10));
    }

    /** Solves the interstitial's proof of work as a scripted client would; returns the clearance cookie. */
    private static String solve(BulwarkNode node) throws Exception {
        String page = get(node, "/", null).body();
        byte[] nonce = HexFormat.of().parseHex(find("data-nonce=\"([0-9a-f]+)\"", page));
        int bits = Integer.parseInt(find("data-difficulty=\"(\\d+)\"", page));
        String verify = find("data-verify-url=\"([^\"]+)\"", page).replace("&amp;", "&") + "&counter=" + PowSolver.solve(nonce, bits);
        String setCookie = get(node, verify, null).headers().firstValue("set-cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String find(String regex, String body) {
        Matcher m = Pattern.compile(regex).matcher(body);
        assertThat(m.find()).as(regex + " in " + body).isTrue();
        return m.group(1);
    }
}
