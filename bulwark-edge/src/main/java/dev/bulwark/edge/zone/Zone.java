package dev.bulwark.edge.zone;

import dev.bulwark.core.config.ZoneConfig;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One zone as the data plane holds it: its immutable config, the selector over its origins,
 * and the count of its requests in flight (for max_concurrent_requests).
 */
public final class Zone {
    private final ZoneConfig config;
    private final OriginSelector origins;
    private final AtomicInteger inFlight;

    public Zone(ZoneConfig config, OriginSelector origins, AtomicInteger inFlight) {
        this.config = config;
        this.origins = origins;
        this.inFlight = inFlight;
    }

    public String id() { return config.id(); }

    public ZoneConfig config() { return config; }

    public OriginSelector origins() { return origins; }

    /** Shared across reloads of the same zone id, so a reload does not reset the concurrency count. */
    public AtomicInteger inFlight() { return inFlight; }
}
