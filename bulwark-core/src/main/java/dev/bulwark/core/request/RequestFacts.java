package dev.bulwark.core.request;

import java.net.InetAddress;
import java.util.List;

/**
 * What a policy may read about a request. The edge's per-request context implements it;
 * the rules language, rate-limit keys, attack signatures and challenge decisions read
 * only through it, so they can be unit tested without sockets.
 *
 * <p>Values are as received (not decoded) unless a method says otherwise; header names are
 * looked up case-insensitively; missing values are {@code null} (single) or empty (lists).
 */
public interface RequestFacts {
    /** The client's address: the socket peer, or the forwarded address when the peer is a trusted proxy. */
    InetAddress clientAddress();

    /** Host the request names (Host header or :authority), lower-cased, without port. */
    String host();

    /** Request method, upper-case as sent ("GET"). */
    String method();

    /** The request-target as sent: path and query ("/a/b?x=1"). */
    String uri();

    /** The path part of the request-target, not decoded ("/a%20b"). */
    String path();

    /** The query without '?', not decoded; "" when there is none. */
    String query();

    /** First value of a header, or null. */
    String header(String name);

    /** All values of a header, in order; empty when absent. */
    List<String> headers(String name);

    /** "HTTP/1.0", "HTTP/1.1" or "HTTP/2". */
    String httpVersion();

    /** True when the client connection is TLS. */
    boolean tls();

    /** Id of the zone the request was routed to, or null before routing. */
    String zoneId();

    /** True when the zone is in "under attack" mode for this request. */
    boolean zoneUnderAttack();

    /** Clearance level the visitor holds (0 = none; higher = stronger proof). */
    int clearanceLevel();

    /** Stable clearance id of the visitor, or null without clearance. */
    String clearanceId();
}
