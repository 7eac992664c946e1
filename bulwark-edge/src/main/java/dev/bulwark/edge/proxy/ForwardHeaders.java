package dev.bulwark.edge.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Header rewriting at the proxy boundary, done once in place on the request and response
 * heads: hop-by-hop headers out (RFC 9110 section 7.6.1: Connection and every header it names,
 * Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade), forwarding headers in.
 */
public final class ForwardHeaders {
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString X_H2_STREAM_ID = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text();
    private static final AsciiString X_H2_SCHEME = HttpConversionUtil.ExtensionHeaderNames.SCHEME.text();
    private static final AsciiString X_H2_PATH = HttpConversionUtil.ExtensionHeaderNames.PATH.text();
    private static final AsciiString X_H2_PROMISE_ID = HttpConversionUtil.ExtensionHeaderNames.STREAM_PROMISE_ID.text();
    private static final AsciiString X_H2_DEPENDENCY = HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text();
    private static final AsciiString X_H2_WEIGHT = HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text();

    private static final AsciiString VIA_1_0 = AsciiString.cached("1.0 bulwark");
    private static final AsciiString VIA_1_1 = AsciiString.cached("1.1 bulwark");
    private static final AsciiString VIA_2 = AsciiString.cached("2 bulwark");

    private ForwardHeaders() {}

    /** Removes hop-by-hop headers, including those the Connection header names. */
    public static void removeHopByHop(HttpHeaders h) {
        if (h.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : value.split(",")) {
                    String name = token.trim();
                    if (!name.isEmpty()) h.remove(name);
                }
            }
            h.remove(HttpHeaderNames.CONNECTION);
        }
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(PROXY_CONNECTION);
        h.remove(HttpHeaderNames.TE);
        h.remove(HttpHeaderNames.TRAILER);
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        h.remove(HttpHeaderNames.UPGRADE);
    }

    /** Netty's HTTP/2 -> HTTP/1 conversion adds x-http2-* headers; they never leave the edge. */
    public static void removeHttp2Extensions(HttpHeaders h) {
        h.remove(X_H2_STREAM_ID);
        h.remove(X_H2_SCHEME);
        h.remove(X_H2_PATH);
        h.remove(X_H2_PROMISE_ID);
        h.remove(X_H2_DEPENDENCY);
        h.remove(X_H2_WEIGHT);
    }

    /**
     * Sets X-Forwarded-For/-Proto/-Host, Forwarded and Via on a request about to be forwarded.
     * This hop appends the address of its socket peer. A client-sent X-Forwarded-For or Forwarded
     * is kept (and appended to) only when the peer is a trusted proxy; from anyone else it is
     * replaced, so clients cannot forge their address.
     */
    public static void addForwarding(HttpHeaders h, Hop hop, boolean peerTrusted, String host, String protocol) {
        if (peerTrusted) {
            String xff = joined(h.getAll(X_FORWARDED_FOR));
            h.set(X_FORWARDED_FOR, xff == null ? hop.clientText : xff + ", " + hop.clientText);
        } else {
            h.set(X_FORWARDED_FOR, hop.clientText);
            h.remove(FORWARDED);
        }
        hop.host(host);
        AsciiString element = hop.element;
        String prior = peerTrusted ? joined(h.getAll(FORWARDED)) : null;
        h.set(FORWARDED, prior == null ? element : prior + ", " + element);
        h.set(X_FORWARDED_PROTO, hop.proto);
        h.set(X_FORWARDED_HOST, hop.hostText);
        addVia(h, protocol);
    }

    /**
     * This hop's part of the forwarding headers for one client connection, formatted once: the
     * peer's address as text and, for the host last asked for, the Forwarded element. As
     * AsciiStrings they are also copied in bulk by the request encoder, where a String goes a
     * char at a time. Confined to the connection's event loop.
     */
    public static final class Hop {
        final InetAddress peer;
        final AsciiString clientText;
        final AsciiString proto;
        private final String forwardedFor;
        private String host;
        private AsciiString hostText; // of host
        private AsciiString element;  // for host

        public Hop(InetAddress peer, boolean tls) {
            this.peer = peer;
            String text = peer.getHostAddress();
            this.clientText = new AsciiString(text);
            this.proto = tls ? HTTPS : HTTP;
            this.forwardedFor = peer instanceof Inet6Address ? "\"[" + text + "]\"" : text;
        }

        /** Whether this hop was formatted for {@code peer} (a connection keeps one peer). */
        public boolean isFor(InetAddress peer) { return this.peer.equals(peer); }

        /** Makes {@code hostText} and {@code element} those of {@code host}, formatting them when the host changed. */
        void host(String host) {
            if (host.equals(this.host)) return;
            this.hostText = new AsciiString(host);
            this.element = new AsciiString("for=" + forwardedFor + ";host=\"" + host + "\";proto=" + proto);
            this.host = host;
        }
    }

    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString HTTP = AsciiString.cached("http");

    /** Appends this hop to Via ("1.1 bulwark", "2 bulwark"). */
    public static void addVia(HttpHeaders h, String protocol) {
        AsciiString hop = "HTTP/2".equals(protocol) ? VIA_2 : protocol.equals("HTTP/1.0") ? VIA_1_0 : VIA_1_1;
        if (!h.contains(HttpHeaderNames.VIA)) { // the common case: no hop before us, nothing to join
            h.set(HttpHeaderNames.VIA, hop);
            return;
        }
        h.set(HttpHeaderNames.VIA, joined(h.getAll(HttpHeaderNames.VIA)) + ", " + hop);
    }

    /**
     * The client address: the socket peer, or, when the peer is a trusted proxy, the right-most
     * X-Forwarded-For entry that is not itself a trusted proxy.
     */
    public static InetAddress clientAddress(InetAddress peer, HttpHeaders h, EdgeSnapshot snapshot) {
        if (!snapshot.isTrustedProxy(peer)) return peer;
        List<String> values = h.getAll(X_FORWARDED_FOR);
        if (values.isEmpty()) return peer;
        String[] entries = String.join(",", values).split(",");
        for (int i = entries.length - 1; i >= 0; i--) {
            InetAddress a = literal(entries[i].trim());
            if (a == null) return peer; // garbage from an untrusted hop: stop at the last address we can vouch for
            if (!snapshot.isTrustedProxy(a)) return a;
            peer = a;
        }
        return peer;
    }

    private static InetAddress literal(String s) {
        byte[] raw = dev.bulwark.core.net.Cidr.literal(s);
        if (raw == null) return null;
        try {
            return InetAddress.getByAddress(raw);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** Whether a response needs chunked framing towards an HTTP/1.1 client once Transfer-Encoding was removed. */
    public static boolean needsChunking(HttpHeaders h) {
        return !h.contains(HttpHeaderNames.CONTENT_LENGTH);
    }

    private static String joined(List<String> values) {
        if (values.isEmpty()) return null;
        return values.size() == 1 ? values.get(0) : String.join(", ", values);
    }
}
