package dev.bulwark.edge.zone;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Where the edge connects for one origin: host, port, whether to speak TLS, and the socket
 * address resolved when the config was loaded (like nginx, a name is resolved at load time,
 * never on an event loop; a reload resolves again).
 */
public record OriginAddress(String host, int port, boolean tls, InetSocketAddress socketAddress) {
    /** Parses {@code http://host:port} / {@code https://host} (already validated by the config loader) and resolves it. */
    public static OriginAddress parse(String url) {
        URI u = URI.create(url);
        boolean tls = "https".equalsIgnoreCase(u.getScheme());
        int port = u.getPort() > 0 ? u.getPort() : (tls ? 443 : 80);
        String host = u.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new OriginAddress(host, port, tls, resolve(host, port));
    }

    private static InetSocketAddress resolve(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            return InetSocketAddress.createUnresolved(host, port); // connecting fails: the request gets a 502
        }
    }

    /** Key of the connection pool: one pool per distinct address and scheme. */
    public String poolKey() { return (tls ? "https://" : "http://") + host + ":" + port; }
}
