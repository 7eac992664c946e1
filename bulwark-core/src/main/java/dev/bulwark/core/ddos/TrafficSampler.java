package dev.bulwark.core.ddos;

import dev.bulwark.core.limit.KeyHash;
import dev.bulwark.core.request.RequestFacts;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last {@code capacity} requests of a zone, written by the logging phase on every event
 * loop and read by the zone's {@link AttackDetector} once per tick.
 *
 * <p>Lock-free ring of primitive columns: a writer takes a sequence number, marks the slot
 * busy, writes the columns and publishes the sequence; a reader accepts a slot only when it
 * shows the same sequence before and after reading (a seqlock), so it never mixes two requests.
 * Strings (path, user agent) are kept by reference, never copied. At rates above
 * {@code capacity} requests per tick the ring holds a uniform-in-time window of the latest
 * requests, which is what the detector wants. Totals are {@link LongAdder}s.
 */
public final class TrafficSampler {
    private final int mask;
    private static final long BUSY = -2;

    private final AtomicLong cursor = new AtomicLong();
    private final AtomicLongArray published;
    private final long[] source;   // client network: see sourceKey
    private final long[] address;  // full client address hash (distinct sources)
    private final long[] pathHash;
    private final long[] methodHash;
    private final long[] agentHash;
    private final int[] status;
    private final boolean[] verified; // held clearance: a visitor that passed a challenge
    private final String[] path;
    private final String[] method;
    private final String[] agent;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();

    public TrafficSampler(int capacity) {
        if (capacity < 64 || capacity > 1 << 20) throw new IllegalArgumentException("sampler capacity must be 64..1048576, got " + capacity);
        int cap = Integer.highestOneBit(capacity - 1) << 1;
        mask = cap - 1;
        published = new AtomicLongArray(cap);
        for (int i = 0; i < cap; i++) published.set(i, -1);
        source = new long[cap];
        address = new long[cap];
        pathHash = new long[cap];
        methodHash = new long[cap];
        agentHash = new long[cap];
        status = new int[cap];
        verified = new boolean[cap];
        path = new String[cap];
        method = new String[cap];
        agent = new String[cap];
    }

    public int capacity() { return mask + 1; }

    /** Records a finished (or refused) request with the status it was answered with. */
    public void record(RequestFacts r, int statusCode) {
        requests.increment();
        if (statusCode >= 500) errors.increment();
        InetAddress a = r.clientAddress();
        String p = r.path();
        String m = r.method();
        String ua = r.header("user-agent");
        long seq = cursor.getAndIncrement();
        int i = (int) seq & mask;
        // Claim the slot for this writer alone (a seqlock with one writer per slot): a writer that
        // wrapped around onto a slot still being written would otherwise publish a mix of two
        // requests. Losing the race only drops this sample, which a sampler can afford.
        long prev = published.get(i);
        if (prev == BUSY || !published.compareAndSet(i, prev, BUSY)) return;
        source[i] = sourceKey(a);
        address[i] = addressHash(a);
        pathHash[i] = Signature.hash(p);
        methodHash[i] = Signature.hash(m);
        agentHash[i] = Signature.hash(ua);
        status[i] = statusCode;
        verified[i] = r.clearanceLevel() > 0;
        path[i] = p;
        method[i] = m;
        agent[i] = ua;
        published.setRelease(i, seq);
    }

    /** Requests recorded since creation. */
    public long requests() { return requests.sum(); }

    /** Requests answered 5xx since creation. */
    public long errors() { return errors.sum(); }

    /** Sequence number the next request will take. */
    public long cursor() { return cursor.get(); }

    /**
     * Copies the readable samples with sequence in [from, cursor) — at most the ring's
     * capacity, the newest ones — into {@code out}; returns the new cursor to pass next time.
     */
    public long drain(long from, Samples out) {
        long to = cursor.get();
        long start = Math.max(from, to - capacity());
        out.clear();
        for (long seq = start; seq < to; seq++) {
            int i = (int) seq & mask;
            if (published.getAcquire(i) != seq) continue;
            long s = source[i], ad = address[i], ph = pathHash[i], mh = methodHash[i], ah = agentHash[i];
            int st = status[i];
            boolean v = verified[i];
            String p = path[i], m = method[i], ua = agent[i];
            java.lang.invoke.VarHandle.loadLoadFence();
            if (published.get(i) != seq) continue;
            out.add(s, ad, ph, mh, ah, st, v, p, m, ua);
        }
        return to;
    }

    /**
     * The client network as one long: IPv4 /24 in the low 32 bits with a family tag, IPv6 the
     * upper 64 bits of the address (its /64). Reversible for display, see {@link Signature}.
     */
    static long sourceKey(InetAddress a) {
        if (a == null) return 0;
        if (a instanceof Inet4Address) return 4L << 32 | (a.hashCode() & 0xffffff00L);
        byte[] b = a.getAddress();
        long v = 0;
        for (int k = 0; k < 8; k++) v = v << 8 | (b[k] & 0xff);
        return v == (4L << 32) ? v ^ 1 : v; // an IPv6 /64 that looks like a tagged IPv4 key
    }

    static long addressHash(InetAddress a) {
        if (a == null) return 0;
        if (a instanceof Inet4Address) return KeyHash.of(a.hashCode() & 0xffffffffL);
        return KeyHash.finish(KeyHash.mix(KeyHash.seed(), a.getAddress()));
    }

    /** A reusable batch of samples, as columns; owned by one reader thread. */
    public static final class Samples {
        int size;
        final long[] source, address, pathHash, methodHash, agentHash;
        final int[] status;
        final boolean[] verified;
        final String[] path, method, agent;

        public Samples(int capacity) {
            source = new long[capacity];
            address = new long[capacity];
            pathHash = new long[capacity];
            methodHash = new long[capacity];
            agentHash = new long[capacity];
            status = new int[capacity];
            verified = new boolean[capacity];
            path = new String[capacity];
            method = new String[capacity];
            agent = new String[capacity];
        }

        public int size() { return size; }

        /** Room for this many more samples. */
        int room() { return source.length - size; }

        /** Share of the samples from visitors holding clearance, 0..1 (0 when empty). */
        double verifiedShare() {
            int n = 0;
            for (int i = 0; i < size; i++) if (verified[i]) n++;
            return size == 0 ? 0 : (double) n / size;
        }

        void clear() { size = 0; }

        void add(long s, long ad, long ph, long mh, long ah, int st, boolean v, String p, String m, String ua) {
            if (size == source.length) return;
            int i = size++;
            source[i] = s; address[i] = ad; pathHash[i] = ph; methodHash[i] = mh; agentHash[i] = ah;
            status[i] = st; verified[i] = v; path[i] = p; method[i] = m; agent[i] = ua;
        }

        /** Appends another batch (up to capacity). */
        void addAll(Samples o) {
            for (int i = 0; i < o.size; i++) add(o.source[i], o.address[i], o.pathHash[i], o.methodHash[i], o.agentHash[i], o.status[i], o.verified[i], o.path[i], o.method[i], o.agent[i]);
        }
    }
}
