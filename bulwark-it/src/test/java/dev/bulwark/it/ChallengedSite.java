package dev.bulwark.it;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ChallengeConfig;
import dev.bulwark.core.config.EdgeConfig;
import dev.bulwark.core.config.HttpLimits;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.PassiveHealthConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.edge.Edge;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.server.origin.DemoOrigin;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A protected site as a visitor meets it: the demo origin and a real {@link Edge} in front of it,
 * both on 127.0.0.1 with ephemeral ports, one zone per entry of {@code zones} (hostname to
 * difficulty), every zone "under attack" so that each visitor without clearance is challenged.
 * The edge runs on the system clock because the browser waits in real time (the no-script wait).
 */
final class ChallengedSite implements AutoCloseable {
    /** How long a visitor without JavaScript waits: short for a fast suite, long enough to read the page before its refresh. */
    static final Duration NOSCRIPT_WAIT = Duration.ofSeconds(2);

    private final DemoOrigin origin;
    private final Edge edge;

    private ChallengedSite(DemoOrigin origin, Edge edge) {
        this.origin = origin;
        this.edge = edge;
    }

    static ChallengedSite start(Map<String, Integer> zones) throws Exception {
        DemoOrigin origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), 1);
        try {
            String originUrl = "http://127.0.0.1:" + origin.address().getPort();
            List<ZoneConfig> configs = new ArrayList<>();
            zones.forEach((host, difficulty) -> configs.add(zone(host, difficulty, originUrl)));
            BulwarkConfig config = new BulwarkConfig(new EdgeConfig(List.of(ListenerConfig.http("http", "127.0.0.1:0")),
                    List.of(), HttpLimits.defaults(), null, null, 1), null, null, configs);
            return new ChallengedSite(origin, Edge.start(config, EdgeServices.quiet()));
        } catch (Exception e) {
            origin.close();
            throw e;
        }
    }

    private static ZoneConfig zone(String host, int difficulty, String originUrl) {
        OriginPoolConfig pool = new OriginPoolConfig(OriginPoolConfig.Balance.ROUND_ROBIN, List.of(new OriginConfig(originUrl, 1)),
                null, new PassiveHealthConfig(100, Duration.ofSeconds(1)), 16);
        ChallengeConfig challenge = new ChallengeConfig(difficulty, null, true, null, null, null, null,
                difficulty, null, NOSCRIPT_WAIT, null);
        return new ZoneConfig(host.substring(0, host.indexOf('.')), List.of(host), null, pool, null, null,
                null, null, null, challenge, null);
    }

    /** The edge's plain-HTTP port on 127.0.0.1; the browser maps the zone hostnames there. */
    int port() { return edge.boundAddresses().get("http").getPort(); }

    /** Base URL of a zone, e.g. {@code http://app.test:41234}. */
    String base(String host) { return "http://" + host + ":" + port(); }

    @Override
    public void close() {
        edge.close();
        origin.close();
    }
}
