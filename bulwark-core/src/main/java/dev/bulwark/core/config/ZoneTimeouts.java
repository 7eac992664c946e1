package dev.bulwark.core.config;

import java.time.Duration;

/** Upstream timeouts of a zone: connect, first response byte, and idle between reads. */
public record ZoneTimeouts(Duration connect, Duration firstByte, Duration idle) {
    public ZoneTimeouts {
        connect = connect == null ? Duration.ofSeconds(5) : connect;
        firstByte = firstByte == null ? Duration.ofSeconds(60) : firstByte;
        idle = idle == null ? Duration.ofSeconds(60) : idle;
    }

    public static ZoneTimeouts defaults() { return new ZoneTimeouts(null, null, null); }
}
