package dev.bulwark.edge.proxy;

import io.netty.util.AsciiString;

/** Headers every page the edge generates carries, so its own pages cannot be framed, sniffed or scripted. */
public final class SecurityHeaders {
    // AsciiString constants: hashed once, copied into the response without re-encoding
    static final AsciiString CONTENT_TYPE_OPTIONS = AsciiString.cached("X-Content-Type-Options");
    static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    private static final AsciiString FRAME_OPTIONS = AsciiString.cached("X-Frame-Options");
    private static final AsciiString DENY = AsciiString.cached("DENY");
    private static final AsciiString REFERRER_POLICY = AsciiString.cached("Referrer-Policy");
    private static final AsciiString NO_REFERRER = AsciiString.cached("no-referrer");
    private static final AsciiString CSP = AsciiString.cached("Content-Security-Policy");
    private static final AsciiString CSP_VALUE = AsciiString.cached("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");

    /** Name, value, name, value...: for pages whose headers are encoded once ({@link ErrorPages}). */
    static final java.util.List<AsciiString> ALL = java.util.List.of(CONTENT_TYPE_OPTIONS, NOSNIFF, FRAME_OPTIONS, DENY,
            REFERRER_POLICY, NO_REFERRER, CSP, CSP_VALUE);

    private SecurityHeaders() {}

}
