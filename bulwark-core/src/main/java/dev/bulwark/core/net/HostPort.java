package dev.bulwark.core.net;

/** {@code host:port} or {@code [v6]:port}, as written in listener and admin addresses. */
public record HostPort(String host, int port) {
    public static HostPort parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("address is empty");
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("'" + text + "' must be host:port");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty()) host = "0.0.0.0";
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has an invalid port");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("'" + text + "' port must be 0..65535");
        return new HostPort(host, port);
    }

    @Override
    public String toString() { return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port; }
}
