package dev.bulwark.edge.policy;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ZoneLimits;
import dev.bulwark.core.time.ManualClock;
import dev.bulwark.edge.policy.limits.ZoneLimitsPhase;
import dev.bulwark.edge.policy.zone.ZoneRoutingPhase;
import dev.bulwark.edge.proxy.EdgeSnapshot;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.upstream.OriginPool;
import dev.bulwark.edge.zone.Zone;
import dev.bulwark.edge.zone.ZoneTable;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Phases as pure steps over a RequestContext: no sockets. */
class PhasesTest {
    private final Zone a = zone("a", List.of("a.test"), ZoneLimits.defaults());
    private final Zone b = zone("b", List.of("b.test", "*.b.test"), new ZoneLimits(100L, 1));
    private final EdgeSnapshot snapshot = new EdgeSnapshot(new BulwarkConfig(null, null, null, null), new ZoneTable(List.of(a, b)), null, List.of());

    private static Zone zone(String id, List<String> hosts, ZoneLimits limits) {
        return new Zone(Configs.zone(id, hosts, null, Configs.pool("http://127.0.0.1:9"), null, limits),
                OriginPool.of(Configs.pool("http://127.0.0.1:9"), new ManualClock()), new AtomicInteger());
    }

    private RequestContext request(String host, boolean tls, String sni, String contentLength) throws Exception {
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/p?q=1");
        req.headers().set("Host", host);
        if (contentLength != null) req.headers().set("Content-Length", contentLength);
        InetAddress peer = InetAddress.getByName("192.0.2.1");
        return new RequestContext("id", snapshot, req, peer, peer, tls, sni, "HTTP/1.1", ZoneTable.normalizeHost(host), 0, 0);
    }

    @Test
    void routingSetsTheZoneOrAnswers() throws Exception {
        RequestContext ok = request("x.b.test", false, null, null);
        assertThat(new ZoneRoutingPhase().run(ok)).isEqualTo(Phase.Result.CONTINUE);
        assertThat(ok.zoneId()).isEqualTo("b");
        assertThat(ok.path()).isEqualTo("/p");
        assertThat(ok.query()).isEqualTo("q=1");

        RequestContext unknown = request("c.test", false, null, null);
        assertThat(new ZoneRoutingPhase().run(unknown)).isEqualTo(Phase.Result.ANSWERED);
        assertThat(unknown.edgeAnswer().status()).isEqualTo(404);
        assertThat(unknown.rule()).isEqualTo("zone:unknown-host");

        RequestContext fronted = request("b.test", true, "a.test", null);
        assertThat(new ZoneRoutingPhase().run(fronted)).isEqualTo(Phase.Result.ANSWERED);
        assertThat(fronted.edgeAnswer().status()).isEqualTo(421);

        RequestContext sameZone = request("www.b.test", true, "b.test", null);
        assertThat(new ZoneRoutingPhase().run(sameZone)).as("SNI and Host in one zone").isEqualTo(Phase.Result.CONTINUE);
    }

    @Test
    void limitsRefuseLargeBodiesAndExcessConcurrencyAndReleaseSlots() throws Exception {
        RequestContext big = request("b.test", false, null, "101");
        new ZoneRoutingPhase().run(big);
        assertThat(new ZoneLimitsPhase().run(big)).isEqualTo(Phase.Result.ANSWERED);
        assertThat(big.edgeAnswer().status()).isEqualTo(413);

        RequestContext first = request("b.test", false, null, "100");
        new ZoneRoutingPhase().run(first);
        assertThat(new ZoneLimitsPhase().run(first)).isEqualTo(Phase.Result.CONTINUE);
        RequestContext second = request("b.test", false, null, null);
        new ZoneRoutingPhase().run(second);
        assertThat(new ZoneLimitsPhase().run(second)).isEqualTo(Phase.Result.ANSWERED);
        assertThat(second.edgeAnswer().status()).isEqualTo(503);
        assertThat(b.inFlight().get()).isEqualTo(1);
        first.runFinishers();
        assertThat(b.inFlight().get()).isZero();
    }

    @Test
    void unlimitedZoneCountsNothing() throws Exception {
        RequestContext r = request("a.test", false, null, "999999999");
        new ZoneRoutingPhase().run(r);
        assertThat(new ZoneLimitsPhase().run(r)).isEqualTo(Phase.Result.CONTINUE);
        assertThat(a.inFlight().get()).isZero();
    }
}
