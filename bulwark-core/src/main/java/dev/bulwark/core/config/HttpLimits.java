package dev.bulwark.core.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.time.Duration;

/**
 * Limits the codec enforces on every request before it is routed to a zone, and the
 * slow-client deadlines of every client connection: the request head ({@code header_timeout}),
 * the request body ({@code min_body_rate} measured over {@code body_rate_window} once
 * {@code body_grace} has passed, and the optional ceiling {@code body_timeout}), the reader of
 * our responses ({@code write_timeout} while more than {@code max_outbound_buffer} waits for it),
 * and HTTP/2 frame floods ({@link Http2AbuseLimits}).
 */
public record HttpLimits(@JsonDeserialize(using = ByteSize.IntDeserializer.class) Integer maxHeaderBytes,
                         @JsonDeserialize(using = ByteSize.IntDeserializer.class) Integer maxRequestLineBytes, Integer maxHeaders,
                         Duration headerTimeout, Duration idleTimeout, Integer maxConcurrentStreams,
                         @JsonDeserialize(using = ByteSize.RateDeserializer.class) Long minBodyRate,
                         Duration bodyGrace, Duration bodyRateWindow, Duration bodyTimeout,
                         Duration writeTimeout,
                         @JsonDeserialize(using = ByteSize.IntDeserializer.class) Integer maxOutboundBuffer,
                         Http2AbuseLimits h2Abuse) {
    public HttpLimits {
        maxHeaderBytes = maxHeaderBytes == null ? 32 * 1024 : maxHeaderBytes;
        maxRequestLineBytes = maxRequestLineBytes == null ? 8 * 1024 : maxRequestLineBytes;
        maxHeaders = maxHeaders == null ? 100 : maxHeaders;
        headerTimeout = headerTimeout == null ? Duration.ofSeconds(10) : headerTimeout;
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : idleTimeout;
        maxConcurrentStreams = maxConcurrentStreams == null ? 100 : maxConcurrentStreams;
        minBodyRate = minBodyRate == null ? 1024L : minBodyRate;
        bodyGrace = bodyGrace == null ? Duration.ofSeconds(5) : bodyGrace;
        bodyRateWindow = bodyRateWindow == null ? Duration.ofSeconds(5) : bodyRateWindow;
        bodyTimeout = bodyTimeout == null ? Duration.ZERO : bodyTimeout;
        writeTimeout = writeTimeout == null ? Duration.ofSeconds(30) : writeTimeout;
        maxOutboundBuffer = maxOutboundBuffer == null ? 128 * 1024 : maxOutboundBuffer;
        h2Abuse = h2Abuse == null ? Http2AbuseLimits.defaults() : h2Abuse;
    }

    /** The request-parsing limits and head/idle deadlines; every slow-client setting at its default. */
    public HttpLimits(Integer maxHeaderBytes, Integer maxRequestLineBytes, Integer maxHeaders,
                      Duration headerTimeout, Duration idleTimeout, Integer maxConcurrentStreams) {
        this(maxHeaderBytes, maxRequestLineBytes, maxHeaders, headerTimeout, idleTimeout, maxConcurrentStreams,
                null, null, null, null, null, null, null);
    }

    public static HttpLimits defaults() { return new HttpLimits(null, null, null, null, null, null); }

    /** Same limits with other body-rate settings (null keeps the default). */
    public HttpLimits withBodyRate(Long minBodyRate, Duration bodyGrace, Duration bodyRateWindow, Duration bodyTimeout) {
        return new HttpLimits(maxHeaderBytes, maxRequestLineBytes, maxHeaders, headerTimeout, idleTimeout, maxConcurrentStreams,
                minBodyRate, bodyGrace, bodyRateWindow, bodyTimeout, writeTimeout, maxOutboundBuffer, h2Abuse);
    }

    /** Same limits with another write deadline and outbound buffer. */
    public HttpLimits withWrites(Duration writeTimeout, Integer maxOutboundBuffer) {
        return new HttpLimits(maxHeaderBytes, maxRequestLineBytes, maxHeaders, headerTimeout, idleTimeout, maxConcurrentStreams,
                minBodyRate, bodyGrace, bodyRateWindow, bodyTimeout, writeTimeout, maxOutboundBuffer, h2Abuse);
    }

    /** Same limits with other HTTP/2 flood thresholds. */
    public HttpLimits withH2Abuse(Http2AbuseLimits limits) {
        return new HttpLimits(maxHeaderBytes, maxRequestLineBytes, maxHeaders, headerTimeout, idleTimeout, maxConcurrentStreams,
                minBodyRate, bodyGrace, bodyRateWindow, bodyTimeout, writeTimeout, maxOutboundBuffer, limits);
    }
}
