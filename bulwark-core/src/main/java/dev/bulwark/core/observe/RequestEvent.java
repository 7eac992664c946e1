package dev.bulwark.core.observe;

/**
 * One finished request as analytics sees it. Built once per request by the edge's logging
 * phase from values it already holds (no copies): the zone id (null when no zone matched),
 * the response status, bytes read from the client and written to it, the final action, the
 * client address as text, the path without query, the User-Agent (may be null) and the time
 * from first byte to last byte in nanoseconds; {@code epochMillis} is when it finished.
 */
public record RequestEvent(String zone, int status, long bytesIn, long bytesOut, RequestAction action,
                           String clientAddress, String path, String userAgent, long durationNanos, long epochMillis) {}
