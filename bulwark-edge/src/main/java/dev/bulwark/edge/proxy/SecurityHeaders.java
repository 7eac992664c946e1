package dev.bulwark.edge.proxy;

import io.netty.handler.codec.http.HttpHeaders;

/** Headers every page the edge generates carries, so its own pages cannot be framed, sniffed or scripted. */
public final class SecurityHeaders {
    private SecurityHeaders() {}

    public static void addTo(HttpHeaders h) {
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    }
}
