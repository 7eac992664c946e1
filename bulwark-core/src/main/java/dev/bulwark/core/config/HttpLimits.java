package dev.bulwark.core.config;

import java.time.Duration;

/** Limits the codec enforces on every request before it is routed to a zone. */
public record HttpLimits(@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = ByteSize.IntDeserializer.class) Integer maxHeaderBytes,
                         @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = ByteSize.IntDeserializer.class) Integer maxRequestLineBytes, Integer maxHeaders,
                         Duration headerTimeout, Duration idleTimeout, Integer maxConcurrentStreams) {
    public HttpLimits {
        maxHeaderBytes = maxHeaderBytes == null ? 32 * 1024 : maxHeaderBytes;
        maxRequestLineBytes = maxRequestLineBytes == null ? 8 * 1024 : maxRequestLineBytes;
        maxHeaders = maxHeaders == null ? 100 : maxHeaders;
        headerTimeout = headerTimeout == null ? Duration.ofSeconds(10) : headerTimeout;
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : idleTimeout;
        maxConcurrentStreams = maxConcurrentStreams == null ? 100 : maxConcurrentStreams;
    }

    public static HttpLimits defaults() { return new HttpLimits(null, null, null, null, null, null); }
}
