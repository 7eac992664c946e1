package dev.bulwark.core.limit;

import dev.bulwark.core.config.GuardConfig;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.core.spi.Blocklist;
import dev.bulwark.core.time.Clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides at accept, before TLS and before reading a byte, whether a new connection may live.
 * In order: banned address or range → close; global ceiling; concurrent connections of the
 * address and of its prefix (IPv4 /24, IPv6 /64); new connections per second of the address
 * and of its prefix (sliding window). An address opening connections at more than
 * {@value #BAN_FACTOR}× its allowed rate is banned for {@link GuardConfig#banDuration()}, so the
 * rest of its flood costs one table lookup per connection.
 *
 * <p>Memory is fixed: concurrent counts live in a count-min sketch that goes up on admit and
 * down on release (estimates can only over-count, so a collision can refuse an innocent address
 * early but never let a flooder past its cap), rates in a {@link SlidingWindowEstimator}.
 * Callers must call {@link #release} exactly once for each admitted connection, with the same
 * address bytes. Lock-free; allocation only when a ban is made.
 */
public final class ConnectionGuard {
    static final int BAN_FACTOR = 4;

    /** The verdict on a new connection; only {@link #ADMIT} keeps it open. */
    public enum Admission {
        ADMIT, BANNED, GLOBAL_LIMIT, ADDRESS_CONNECTIONS, PREFIX_CONNECTIONS, ADDRESS_RATE, PREFIX_RATE;

        public boolean admitted() { return this == ADMIT; }
    }

    private final GuardConfig config;
    private final Blocklist blocklist;
    private final CountMinSketch open;
    private final SlidingWindowEstimator accepts;
    private final AtomicInteger total = new AtomicInteger();
    private final Duration banDuration;

    public ConnectionGuard(GuardConfig config, Blocklist blocklist, SketchShape shape, Clock clock) {
        this.config = config;
        this.blocklist = blocklist;
        this.open = new CountMinSketch(shape.width(), shape.depth());
        this.accepts = new SlidingWindowEstimator(Duration.ofSeconds(1), shape, clock);
        this.banDuration = config.banDuration();
    }

    /** Prefix length the guard groups an address by: /24 for IPv4, /64 for IPv6. */
    public static int prefixBits(byte[] address) { return address.length == 4 ? 24 : 64; }

    public Admission admit(byte[] address) {
        if (blocklist.isBanned(address)) return Admission.BANNED;
        long addr = KeyHash.prefix(address, address.length * 8);
        long prefix = KeyHash.prefix(address, prefixBits(address));

        long addrRate = accepts.observe(addr, 1);
        long prefixRate = accepts.observe(prefix, 1);
        if (addrRate > config.newConnectionsPerSecondPerAddress()) {
            if (addrRate > (long) BAN_FACTOR * config.newConnectionsPerSecondPerAddress()) {
                blocklist.ban(new Cidr(address, address.length * 8), banDuration, "connection flood: " + addrRate + " new connections/s");
            }
            return Admission.ADDRESS_RATE;
        }
        if (prefixRate > config.newConnectionsPerSecondPerPrefix()) return Admission.PREFIX_RATE;

        if (total.incrementAndGet() > config.maxConnections()) {
            total.decrementAndGet();
            return Admission.GLOBAL_LIMIT;
        }
        if (open.add(addr, 1) > config.maxConnectionsPerAddress()) {
            open.add(addr, -1);
            total.decrementAndGet();
            return Admission.ADDRESS_CONNECTIONS;
        }
        if (open.add(prefix, 1) > config.maxConnectionsPerPrefix()) {
            open.add(prefix, -1);
            open.add(addr, -1);
            total.decrementAndGet();
            return Admission.PREFIX_CONNECTIONS;
        }
        return Admission.ADMIT;
    }

    /** Ends an admitted connection. */
    public void release(byte[] address) {
        open.add(KeyHash.prefix(address, address.length * 8), -1);
        open.add(KeyHash.prefix(address, prefixBits(address)), -1);
        total.decrementAndGet();
    }

    /** Connections admitted and not yet released. */
    public int openConnections() { return total.get(); }

    /** Estimated open connections of an address (an over-estimate under collisions). */
    public long openConnections(byte[] address) { return open.estimate(KeyHash.prefix(address, address.length * 8)); }
}
