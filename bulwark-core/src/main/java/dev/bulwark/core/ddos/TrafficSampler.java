package dev.bulwark.core.ddos;

import dev.bulwark.core.concurrent.ThreadStripes;
import dev.bulwark.core.limit.KeyHash;
import dev.bulwark.core.request.RequestFacts;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The last {@code capacity} requests of a zone, written by the logging phase on every event
 * loop and read by the zone's {@link AttackDetector} once per tick.
 *
 * <p>Lock-free rings of primitive columns: a writer takes a sequence number, marks the slot
 * busy, writes the columns and publishes the sequence; a reader accepts a slot only when it
 * shows the same sequence before and after reading (a seqlock), so it never mixes two requests.
 * Strings (path, user agent) are kept by reference, never copied. At rates above a ring's
 * capacity per tick the rings hold a uniform-in-time window of the latest requests, which is
 * what the detector wants.
 *
 * <p>Why stripes: with one ring every request on every event loop wrote the same cache lines,
 * and they bounced between cores: in a CPU profile of the edge refusing ~90k req/s on 2 event
 * loops {@code record} was 3-4% of Java time, most of it the shared request counter
 * ({@code LongAdder.add}), the shared cursor's {@code getAndIncrement} and the two cores writing
 * neighbouring slots. So the ring is split into a power-of-two number of stripes, each with its
 * own cursor (which is also its request count) and 5xx counter, padded onto cache lines of their
 * own, and its own ring of {@code capacity / stripes} slots. Threads take stripe numbers in turn
 * on their first record, so the first writers (the event loops, up to the number of stripes) each get one of their own;
 * more threads than stripes share one, which the per-slot claim keeps correct. A reader holds a
 * {@link Cursor} (one position per stripe) and drains every stripe; a zone written by fewer
 * threads than stripes therefore yields at most that many stripes' worth of samples a tick.
 */
public final class TrafficSampler {
    /**
     * Stripes when the constructor is not told: one per core (the edge runs an event loop per
     * core), at most four, so a zone written by every loop gets the whole capacity each tick.
     */
    public static final int DEFAULT_STRIPES = ThreadStripes.perCore(4);
    private static final long BUSY = -2;

    private final Stripe[] stripes;
    private final int stripeMask;
    private final int slotMask;

    public TrafficSampler(int capacity) { this(capacity, DEFAULT_STRIPES); }

    /** {@code capacity} samples in all (rounded up to a power of two), split evenly over {@code stripes} rings. */
    public TrafficSampler(int capacity, int stripes) {
        if (capacity < 64 || capacity > 1 << 20) throw new IllegalArgumentException("sampler capacity must be 64..1048576, got " + capacity);
        if (stripes < 1 || stripes > 64 || Integer.bitCount(stripes) != 1) throw new IllegalArgumentException("sampler stripes must be a power of two in 1..64, got " + stripes);
        int cap = Integer.highestOneBit(capacity - 1) << 1;
        int perStripe = cap / stripes;
        if (perStripe < 16) throw new IllegalArgumentException("sampler capacity " + cap + " leaves fewer than 16 slots to each of " + stripes + " stripes");
        this.stripes = new Stripe[stripes];
        for (int k = 0; k < stripes; k++) this.stripes[k] = new Stripe(perStripe);
        stripeMask = stripes - 1;
        slotMask = perStripe - 1;
    }

    /** Samples held in all, over every stripe. */
    public int capacity() { return stripes.length * (slotMask + 1); }

    /** Records a finished (or refused) request with the status it was answered with. */
    public void record(RequestFacts r, int statusCode) {
        record(ThreadStripes.current() & stripeMask, r, statusCode);
    }

    /** As above into the given stripe; package-private so tests can fill each stripe from one thread. */
    void record(int stripe, RequestFacts r, int statusCode) {
        Stripe s = stripes[stripe];
        if (statusCode >= 500) s.addError();
        InetAddress a = r.clientAddress();
        String p = r.path();
        String m = r.method();
        String ua = r.header("user-agent");
        long seq = s.next();
        int i = (int) seq & slotMask;
        // Claim the slot for this writer alone (a seqlock with one writer per slot): a writer that
        // wrapped around onto a slot still being written, or another thread sharing the stripe,
        // would otherwise publish a mix of two requests. Losing the race only drops this sample,
        // which a sampler can afford.
        AtomicLongArray published = s.published;
        long prev = published.get(i);
        if (prev == BUSY || !published.compareAndSet(i, prev, BUSY)) return;
        s.source[i] = sourceKey(a);
        s.address[i] = addressHash(a);
        s.pathHash[i] = Signature.hash(p);
        s.methodHash[i] = Signature.hash(m);
        s.agentHash[i] = Signature.hash(ua);
        s.status[i] = statusCode;
        s.verified[i] = r.clearanceLevel() > 0;
        s.path[i] = p;
        s.method[i] = m;
        s.agent[i] = ua;
        published.setRelease(i, seq);
    }

    /** Requests recorded since creation: each stripe's cursor counts the requests it took. */
    public long requests() {
        long n = 0;
        for (Stripe s : stripes) n += s.cursor();
        return n;
    }

    /** Requests answered 5xx since creation. */
    public long errors() {
        long n = 0;
        for (Stripe s : stripes) n += s.errors();
        return n;
    }

    /** A new reader position at the current end of every stripe: a drain from it sees what is recorded next. */
    public Cursor cursor() {
        Cursor c = new Cursor(stripes.length);
        for (int k = 0; k < stripes.length; k++) c.positions[k] = stripes[k].cursor();
        return c;
    }

    /**
     * Copies the readable samples recorded since {@code from} — at most each stripe's capacity,
     * its newest ones — into {@code out} (stripe after stripe; sized {@link #capacity()} it holds
     * them all) and moves {@code from} to the current end.
     */
    public void drain(Cursor from, Samples out) {
        if (from.positions.length != stripes.length) throw new IllegalArgumentException("cursor of a sampler with " + from.positions.length + " stripes, this one has " + stripes.length);
        out.clear();
        for (int k = 0; k < stripes.length; k++) {
            Stripe s = stripes[k];
            long to = s.cursor();
            drain(s, Math.max(from.positions[k], to - (slotMask + 1)), to, out);
            from.positions[k] = to;
        }
    }

    private void drain(Stripe s, long start, long to, Samples out) {
        AtomicLongArray published = s.published;
        for (long seq = start; seq < to; seq++) {
            int i = (int) seq & slotMask;
            if (published.getAcquire(i) != seq) continue;
            long so = s.source[i], ad = s.address[i], ph = s.pathHash[i], mh = s.methodHash[i], ah = s.agentHash[i];
            int st = s.status[i];
            boolean v = s.verified[i];
            String p = s.path[i], m = s.method[i], ua = s.agent[i];
            VarHandle.loadLoadFence();
            if (published.get(i) != seq) continue;
            out.add(so, ad, ph, mh, ah, st, v, p, m, ua);
        }
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

    /** A reader's position in every stripe; owned by one reader, moved by {@link #drain}. */
    public static final class Cursor {
        final long[] positions;

        Cursor(int stripes) { positions = new long[stripes]; }
    }

    /** 128 bytes (two cache lines: the adjacent-line prefetcher pulls pairs) ahead of a stripe's written counters. */
    @SuppressWarnings("unused")
    private abstract static class PadBefore {
        long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    /** The fields every record of the stripe writes. The JVM lays superclass fields first, so the padding stays around them. */
    private abstract static class Counters extends PadBefore {
        private static final VarHandle CURSOR, ERRORS;
        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                CURSOR = l.findVarHandle(Counters.class, "cursor", long.class);
                ERRORS = l.findVarHandle(Counters.class, "errors", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        private volatile long cursor, errors;

        final long next() { return (long) CURSOR.getAndAdd(this, 1L); }
        final long cursor() { return cursor; }
        final void addError() { ERRORS.getAndAdd(this, 1L); }
        final long errors() { return errors; }
    }

    /** 128 bytes after them, so the columns' references (read on every record) and the next object stay off their lines. */
    @SuppressWarnings("unused")
    private abstract static class PadAfter extends Counters {
        long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    }

    /** One ring: its sequence counters and its columns. */
    private static final class Stripe extends PadAfter {
        final AtomicLongArray published;
        final long[] source;   // client network: see sourceKey
        final long[] address;  // full client address hash (distinct sources)
        final long[] pathHash;
        final long[] methodHash;
        final long[] agentHash;
        final int[] status;
        final boolean[] verified; // held clearance: a visitor that passed a challenge
        final String[] path;
        final String[] method;
        final String[] agent;

        Stripe(int cap) {
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
    }
}
