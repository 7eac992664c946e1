package dev.bulwark.edge.zone;

/**
 * Chooses the origin for the next attempt of a request and hears how attempts ended, so
 * that failing origins can be avoided. Implementations must be thread-safe and lock-free.
 */
public interface OriginSelector extends AutoCloseable {
    /** A healthy origin other than {@code exclude} when possible; null when none is usable. */
    OriginAddress pick(OriginAddress exclude);

    /** The number of distinct origins; retries never make more attempts than this. */
    int size();

    void onSuccess(OriginAddress origin);

    void onFailure(OriginAddress origin);

    /** Stops background work (health probes) of a pool that a reload replaced. */
    @Override default void close() { }
}
