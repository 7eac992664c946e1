package dev.bulwark.edge.proxy;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.edge.zone.ZoneTable;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardHeadersTest {
    private final EdgeSnapshot trusting = new EdgeSnapshot(new BulwarkConfig(null, null, null, null), new ZoneTable(List.of()), null,
            List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32")));

    private static InetAddress ip(String s) throws Exception { return InetAddress.getByName(s); }

    @Test
    void clientAddressIsThePeerUnlessThePeerIsTrusted() throws Exception {
        HttpHeaders h = new DefaultHttpHeaders().add("X-Forwarded-For", "1.1.1.1, 2.2.2.2");
        assertThat(ForwardHeaders.clientAddress(ip("192.0.2.1"), h, trusting)).isEqualTo(ip("192.0.2.1"));
        assertThat(ForwardHeaders.clientAddress(ip("10.1.2.3"), h, trusting)).isEqualTo(ip("2.2.2.2"));
    }

    @Test
    void rightMostUntrustedEntryWinsAndGarbageStopsTheWalk() throws Exception {
        HttpHeaders chain = new DefaultHttpHeaders().add("X-Forwarded-For", "6.6.6.6, 3.3.3.3").add("X-Forwarded-For", "10.9.9.9");
        assertThat(ForwardHeaders.clientAddress(ip("10.1.2.3"), chain, trusting)).isEqualTo(ip("3.3.3.3"));
        HttpHeaders garbage = new DefaultHttpHeaders().add("X-Forwarded-For", "1.1.1.1, not-an-ip");
        assertThat(ForwardHeaders.clientAddress(ip("10.1.2.3"), garbage, trusting)).isEqualTo(ip("10.1.2.3"));
        HttpHeaders none = new DefaultHttpHeaders();
        assertThat(ForwardHeaders.clientAddress(ip("10.1.2.3"), none, trusting)).isEqualTo(ip("10.1.2.3"));
        HttpHeaders v6 = new DefaultHttpHeaders().add("X-Forwarded-For", "2001:db8::5, 2606:4700::1");
        assertThat(ForwardHeaders.clientAddress(ip("2001:db8::1"), v6, trusting)).isEqualTo(ip("2606:4700::1"));
    }

    @Test
    void hopByHopHeadersAndTheOnesConnectionNamesAreRemoved() {
        HttpHeaders h = new DefaultHttpHeaders().add("Connection", "close, X-Private").add("Connection", "X-Other")
                .add("X-Private", "1").add("X-Other", "2").add("Keep-Alive", "timeout=5").add("TE", "trailers")
                .add("Trailer", "X").add("Transfer-Encoding", "chunked").add("Upgrade", "h2c").add("Proxy-Connection", "keep-alive")
                .add("X-Kept", "yes");
        ForwardHeaders.removeHopByHop(h);
        assertThat(h.names()).containsExactly("X-Kept");
    }

    @Test
    void forwardingHeadersAppendOnlyForTrustedPeers() throws Exception {
        HttpHeaders h = new DefaultHttpHeaders().add("X-Forwarded-For", "1.1.1.1").add("Forwarded", "for=1.1.1.1").add("Via", "1.1 cdn");
        ForwardHeaders.addForwarding(h, new ForwardHeaders.Hop(ip("2001:db8::7"), true), true, "a.test", "HTTP/2");
        assertThat(h.get("X-Forwarded-For")).isEqualTo("1.1.1.1, 2001:db8:0:0:0:0:0:7");
        assertThat(h.get("Forwarded")).isEqualTo("for=1.1.1.1, for=\"[2001:db8:0:0:0:0:0:7]\";host=\"a.test\";proto=https");
        assertThat(h.get("Via")).isEqualTo("1.1 cdn, 2 bulwark");
        assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");

        HttpHeaders spoofed = new DefaultHttpHeaders().add("X-Forwarded-For", "1.1.1.1").add("Forwarded", "for=1.1.1.1");
        ForwardHeaders.addForwarding(spoofed, new ForwardHeaders.Hop(ip("192.0.2.9"), false), false, "a.test", "HTTP/1.1");
        assertThat(spoofed.get("X-Forwarded-For")).isEqualTo("192.0.2.9");
        assertThat(spoofed.get("Forwarded")).isEqualTo("for=192.0.2.9;host=\"a.test\";proto=http");
    }

    /** A connection's hop is formatted once, and still follows the host each request names. */
    @Test
    void aConnectionsHopServesEachRequestsHost() throws Exception {
        ForwardHeaders.Hop hop = new ForwardHeaders.Hop(ip("192.0.2.9"), true);
        for (String host : new String[]{"a.test", "a.test", "b.test", "a.test"}) {
            HttpHeaders h = new DefaultHttpHeaders();
            ForwardHeaders.addForwarding(h, hop, false, host, "HTTP/1.1");
            assertThat(h.get("Forwarded")).isEqualTo("for=192.0.2.9;host=\"" + host + "\";proto=https");
            assertThat(h.get("X-Forwarded-Host")).isEqualTo(host);
            assertThat(h.get("X-Forwarded-For")).isEqualTo("192.0.2.9");
        }
        assertThat(hop.isFor(ip("192.0.2.9"))).isTrue();
        assertThat(hop.isFor(ip("192.0.2.10"))).isFalse();
    }
}
