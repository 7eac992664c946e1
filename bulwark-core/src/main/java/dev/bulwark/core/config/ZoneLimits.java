package dev.bulwark.core.config;

/**
 * Per-zone request limits: the largest request body accepted (0 = unlimited; bodies are
 * streamed either way), and the most requests the zone may have in flight to its origins.
 */
public record ZoneLimits(@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = ByteSize.Deserializer.class) Long maxBodyBytes, Integer maxConcurrentRequests) {
    public ZoneLimits {
        maxBodyBytes = maxBodyBytes == null ? 0L : maxBodyBytes;
        maxConcurrentRequests = maxConcurrentRequests == null ? 0 : maxConcurrentRequests;
    }

    public static ZoneLimits defaults() { return new ZoneLimits(null, null); }
}
