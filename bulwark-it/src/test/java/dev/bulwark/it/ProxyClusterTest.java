package dev.bulwark.it;

import dev.bulwark.cluster.limit.EmbeddedRedis;
import dev.bulwark.server.origin.DemoOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bulwark proxy --redis} and {@code bulwark demo --redis} as real processes on one embedded
 * Redis: two proxies and a demo join one fleet, and an address one proxy bans (an HTTP/2 PING
 * flood, answered with GOAWAY and a ban in the fleet's blocklist) is refused at accept by the other
 * proxy and by the demo, which never saw it misbehave, while other addresses are served.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ProxyClusterTest {
    private static final String ATTACKER = "127.0.0.77";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static EmbeddedRedis redis;
    static DemoOrigin origin;
    static Path dir;
    static final List<Process> processes = new ArrayList<>();
    static Node proxyA;
    static Node proxyB;
    static Node demo;

    /** One started process: its edge and admin addresses as it printed them. */
    record Node(Process process, Path out, Path err, InetSocketAddress edge, String adminUrl) {}

    @BeforeAll
    static void startFleet() throws Exception {
        redis = new EmbeddedRedis();
        origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1);
        dir = Files.createTempDirectory("bulwark-proxy-fleet");
        String url = "redis://127.0.0.1:" + redis.port;
        Process a = launch("proxy-a", "proxy", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--to", origin.url(),
                "--access-log", "off", "--redis", url, "--node-id", "proxy-a");
        Process b = launch("proxy-b", "proxy", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--to", origin.url(),
                "--access-log", "off", "--redis", url, "--node-id", "proxy-b");
        Process d = launch("demo", "demo", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                "--origin", "127.0.0.1:0", "--data-dir", dir.resolve("demo-data").toString(), "--access-log", "off",
                "--redis", url, "--node-id", "demo-1");
        proxyA = started(a, "proxy-a", "Try: curl", "edge +http://127\\.0\\.0\\.1:(\\d+)", "admin +(http://\\S+)/metrics");
        proxyB = started(b, "proxy-b", "Try: curl", "edge +http://127\\.0\\.0\\.1:(\\d+)", "admin +(http://\\S+)/metrics");
        demo = started(d, "demo", "Press Ctrl-C", "HTTP/1.1 \\+ h2c +http://127\\.0\\.0\\.1:(\\d+)", "admin +(http://\\S+)/metrics");
    }

    @AfterAll
    static void stopFleet() throws Exception {
        for (Process p : processes) p.destroy();
        for (Process p : processes) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        if (origin != null) origin.close();
        if (redis != null) redis.close();
    }

    @Test
    void eachNodeSaysItJoinedTheFleetAndReachesRedis() throws Exception {
        for (Node n : List.of(proxyA, proxyB, demo)) {
            String printed = Files.readString(n.out());
            String id = n == demo ? "demo-1" : n == proxyA ? "proxy-a" : "proxy-b";
            assertThat(printed).contains("fleet           node " + id + " via redis://127.0.0.1:" + redis.port);
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(n.adminUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("bulwark_cluster_redis_up{node=\"" + id + "\"} 1.0");
        }
    }

    @Test
    void anAddressOneProxyBansIsRefusedByTheOtherNodes() throws Exception {
        for (Node n : List.of(proxyA, proxyB, demo)) assertThat(status(n.edge(), ATTACKER)).as("before the flood").isEqualTo(200);

        assertThat(pingFlood(proxyA.edge(), ATTACKER)).as("proxy A closes the flooding connection").isTrue();
        assertThat(status(proxyA.edge(), ATTACKER)).as("banned where it flooded").isEqualTo(-1);
        // B and the demo never saw this address misbehave: only the fleet's ban refuses it there
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> status(proxyB.edge(), ATTACKER) == -1);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> status(demo.edge(), ATTACKER) == -1);
        for (Node n : List.of(proxyA, proxyB, demo)) assertThat(status(n.edge(), "127.0.0.1")).as("another address").isEqualTo(200);
        assertThat(Files.readString(proxyB.err())).doesNotContain("PING flood").doesNotContain("ping_flood");
    }

    // ---- processes

    private static Process launch(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx160m", "-cp", System.getProperty("java.class.path"), "dev.bulwark.server.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--drain", "1s"));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
        processes.add(p);
        return p;
    }

    /** Waits for the welcome text, then reads the edge port and admin URL from it. */
    private static Node started(Process p, String name, String lastLine, String edgePattern, String adminPattern) throws Exception {
        Path out = dir.resolve(name + ".out"), err = dir.resolve(name + ".err");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.readString(out).contains(lastLine) || !p.isAlive());
        assertThat(p.isAlive()).as(name + ": " + Files.readString(err)).isTrue();
        String printed = Files.readString(out);
        return new Node(p, out, err, new InetSocketAddress("127.0.0.1", Integer.parseInt(find(edgePattern, printed))),
                find(adminPattern, printed));
    }

    private static String find(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return m.group(1);
    }

    // ---- raw clients, each from a chosen loopback address

    private static Socket connect(InetSocketAddress edge, String source) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(edge, 5000);
        s.setSoTimeout(5000);
        return s;
    }

    /** The status of GET /healthz from {@code source}, or -1 when the edge closed the connection without an answer. */
    private static int status(InetSocketAddress edge, String source) {
        try (Socket s = connect(edge, source)) {
            s.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return head.startsWith("HTTP/1.1 ") && head.length() == 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
        } catch (IOException e) {
            return -1; // reset at accept
        }
    }

    /** h2c prior knowledge, then 500 PINGs; true when the edge closed the connection (after its GOAWAY). */
    private static boolean pingFlood(InetSocketAddress edge, String source) throws IOException {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(frames, 0x4, new byte[0]); // SETTINGS
        for (int i = 0; i < 500; i++) frame(frames, 0x6, new byte[8]); // PING
        try (Socket s = connect(edge, source)) {
            try {
                s.getOutputStream().write(frames.toByteArray());
            } catch (IOException cutShort) {
                return true; // closed while the flood was still being written
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (in.read(buf) < 0) return true;
            }
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void frame(ByteArrayOutputStream out, int type, byte[] payload) {
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(0); // flags
        out.writeBytes(new byte[4]); // stream 0
        out.writeBytes(payload);
    }
}
