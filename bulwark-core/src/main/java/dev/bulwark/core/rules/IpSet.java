package dev.bulwark.core.rules;

import dev.bulwark.core.net.Cidr;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of IPv4 and IPv6 CIDR ranges answering "is this address in the set?".
 *
 * <p>Design: every range becomes an inclusive [start, end] interval; intervals are sorted and
 * overlapping or adjacent ones merged into one primitive array per family, and a lookup is a
 * binary search for the last start &lt;= address. To keep a million-entry list to two or
 * three cache misses, large IPv4 sets first jump through a table indexed by the address's
 * top 16 bits (the search then covers one /16), and IPv6 sets search a small cache-resident
 * index of every 8th start before the 8-interval block it names. IPv4 intervals are ints
 * (sign-flipped so signed order is unsigned order) stored start/end side by side; IPv6
 * intervals are (high, low) pairs of 64-bit halves compared unsigned. IPv4-mapped IPv6 addresses and ranges ({@code ::ffff:10.0.0.0/104})
 * are folded into the IPv4 table, so {@code ::ffff:10.1.2.3} matches {@code 10.0.0.0/8} and
 * the reverse.
 *
 * <p>An IPv4 lookup reads the address through {@link Inet4Address#hashCode()} (which is the
 * address itself) and allocates nothing; an IPv6 lookup copies the 16 address bytes once.
 */
public final class IpSet {
    private static final IpSet EMPTY = new IpSet(new long[0], new long[0], new long[0], new long[0], new long[0], new long[0], 0);

    /** IPv4 intervals interleaved as (start, end) pairs, each flipped by the sign bit so signed order = unsigned order. */
    private final int[] v4;
    /** v4Bucket[t] = number of IPv4 intervals starting below t &lt;&lt; 16, for t in 0..65536; null for small sets. */
    private final int[] v4Bucket;
    /** IPv6 intervals as (startHi, startLo, endHi, endLo) quadruples. */
    private final long[] v6;
    /** Every {@value #V6_BLOCK}th IPv6 start (hi, lo), a small index that stays in cache. */
    private final long[] v6Index;
    private final int sourceEntries;

    private static final int V6_BLOCK = 8;
    /** From this many IPv4 intervals on, the 256 KiB /16 bucket table pays for itself. */
    private static final int BUCKETS_FROM = 4096;

    private IpSet(long[] v4Start, long[] v4End, long[] v6StartHi, long[] v6StartLo, long[] v6EndHi, long[] v6EndLo,
                  int sourceEntries) {
        int n4 = v4Start.length;
        this.v4 = new int[n4 * 2];
        for (int i = 0; i < n4; i++) {
            v4[2 * i] = (int) v4Start[i] ^ Integer.MIN_VALUE;
            v4[2 * i + 1] = (int) v4End[i] ^ Integer.MIN_VALUE;
        }
        if (n4 >= BUCKETS_FROM) {
            this.v4Bucket = new int[65537];
            int k = 0;
            for (int t = 0; t <= 65536; t++) {
                long bound = (long) t << 16;
                while (k < n4 && v4Start[k] < bound) k++;
                v4Bucket[t] = k;
            }
        } else {
            this.v4Bucket = null; // small sets: one binary search over everything is already cache-resident
        }
        int n6 = v6StartHi.length;
        this.v6 = new long[n6 * 4];
        for (int i = 0; i < n6; i++) {
            v6[4 * i] = v6StartHi[i];
            v6[4 * i + 1] = v6StartLo[i];
            v6[4 * i + 2] = v6EndHi[i];
            v6[4 * i + 3] = v6EndLo[i];
        }
        int blocks = (n6 + V6_BLOCK - 1) / V6_BLOCK;
        this.v6Index = new long[blocks * 2];
        for (int b = 0; b < blocks; b++) {
            v6Index[2 * b] = v6StartHi[b * V6_BLOCK];
            v6Index[2 * b + 1] = v6StartLo[b * V6_BLOCK];
        }
        this.sourceEntries = sourceEntries;
    }

    public static IpSet empty() { return EMPTY; }

    /**
     * Builds a set from addresses and CIDR ranges ({@code 192.0.2.1}, {@code 10.0.0.0/8},
     * {@code 2001:db8::/32}). Blank entries and entries starting with {@code #} are ignored.
     *
     * @throws IllegalArgumentException naming the first entry (1-based) that is not an address or range
     */
    public static IpSet of(Collection<String> entries) {
        Builder b = new Builder(entries.size());
        int n = 0;
        for (String raw : entries) {
            n++;
            if (raw == null) throw new IllegalArgumentException("entry " + n + " is empty");
            String e = raw.trim();
            if (e.isEmpty() || e.charAt(0) == '#') continue;
            try {
                b.add(e);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("entry " + n + ": " + ex.getMessage());
            }
        }
        return b.build();
    }

    public static IpSet of(String... entries) { return of(List.of(entries)); }

    /** Builds a set from already parsed ranges. */
    public static IpSet ofRanges(Collection<Cidr> ranges) {
        Builder b = new Builder(ranges.size());
        for (Cidr c : ranges) b.add(c.network(), c.prefixLength());
        return b.build();
    }

    /** True when the address lies in one of the ranges; false for null. */
    public boolean contains(InetAddress address) {
        if (address instanceof Inet4Address) return containsV4(address.hashCode());
        if (address instanceof Inet6Address) return contains(address.getAddress());
        return false;
    }

    /** True when the 4- or 16-byte address lies in one of the ranges. */
    public boolean contains(byte[] address) {
        if (address.length == 4) return containsV4((int) v4(address, 0));
        if (address.length != 16) return false;
        if (isMapped(address)) return containsV4((int) v4(address, 12));
        return containsV6(half(address, 0), half(address, 8));
    }

    /**
     * The bucket of the address's top 16 bits bounds the search to the intervals starting in
     * that /16, plus the one before it (which may reach into it).
     */
    private boolean containsV4(int address) {
        int low, high;
        if (v4Bucket != null) {
            int t = address >>> 16;
            low = v4Bucket[t] - 1;
            high = v4Bucket[t + 1] - 1;
        } else {
            low = -1;
            high = v4.length / 2 - 1;
        }
        if (high < 0) return false;
        int a = address ^ Integer.MIN_VALUE;
        int found = low;
        if (low < 0) low = 0;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (v4[2 * mid] <= a) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found >= 0 && a <= v4[2 * found + 1];
    }

    /** Binary search of the small index for the block, then of the block for the last start at or below the address. */
    private boolean containsV6(long hi, long lo) {
        int blocks = v6Index.length / 2;
        int low = 0, high = blocks - 1, block = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(v6Index[2 * mid], v6Index[2 * mid + 1], hi, lo) <= 0) {
                block = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (block < 0) return false;
        low = block * V6_BLOCK;
        high = Math.min(low + V6_BLOCK, v6.length / 4) - 1;
        int found = low;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(v6[4 * mid], v6[4 * mid + 1], hi, lo) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return compare(hi, lo, v6[4 * found + 2], v6[4 * found + 3]) <= 0;
    }

    /** Reference lookup by linear scan of the merged intervals, for tests of the indexed search. */
    boolean containsByScan(byte[] address) {
        if (address.length == 16 && !isMapped(address)) {
            long hi = half(address, 0), lo = half(address, 8);
            for (int i = 0; i < v6.length; i += 4) {
                if (compare(v6[i], v6[i + 1], hi, lo) <= 0 && compare(hi, lo, v6[i + 2], v6[i + 3]) <= 0) return true;
            }
            return false;
        }
        int a = (int) v4(address, address.length == 4 ? 0 : 12) ^ Integer.MIN_VALUE;
        for (int i = 0; i < v4.length; i += 2) if (v4[i] <= a && a <= v4[i + 1]) return true;
        return false;
    }

    public boolean isEmpty() { return v4.length == 0 && v6.length == 0; }

    /** Number of disjoint intervals after merging (for metrics and tests). */
    public int intervalCount() { return v4.length / 2 + v6.length / 4; }

    /** Number of entries the set was built from. */
    public int sourceEntries() { return sourceEntries; }

    @Override
    public String toString() {
        return "IpSet[" + sourceEntries + " entries, " + v4.length / 2 + " IPv4 and " + v6.length / 4 + " IPv6 intervals]";
    }

    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    static boolean isMapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static long v4(byte[] a, int off) {
        return ((a[off] & 0xffL) << 24) | ((a[off + 1] & 0xffL) << 16) | ((a[off + 2] & 0xffL) << 8) | (a[off + 3] & 0xffL);
    }

    private static long half(byte[] a, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (a[off + i] & 0xffL);
        return v;
    }

    /** Collects ranges, then sorts and merges them once. */
    static final class Builder {
        private long[] v4 = new long[16];      // (start << 32 | end) with the sign bit flipped, so signed sort = unsigned order
        private int v4n;
        private long[] v6 = new long[16];      // startHi, startLo, endHi, endLo per range
        private int v6n;
        private int entries;

        Builder(int expected) {
            v4 = new long[Math.max(16, expected)];
        }

        void add(String entry) {
            long fast = parseV4Fast(entry);
            if (fast >= 0) {
                addV4(fast >>> 6, (int) (fast & 63));
                return;
            }
            Cidr c = Cidr.parse(entry);
            add(c.network(), c.prefixLength());
        }

        void add(byte[] network, int prefix) {
            if (network.length == 4) {
                addV4(v4(network, 0), prefix);
            } else if (isMapped(network) && prefix >= 96) {
                addV4(v4(network, 12), prefix - 96);
            } else {
                addV6(half(network, 0), half(network, 8), prefix);
            }
        }

        private void addV4(long start, int prefix) {
            entries++;
            long size = 1L << (32 - prefix);
            start &= ~(size - 1) & 0xFFFF_FFFFL;
            long end = start + size - 1;
            if (v4n == v4.length) v4 = Arrays.copyOf(v4, v4.length * 2);
            v4[v4n++] = ((start << 32) | end) ^ Long.MIN_VALUE;
        }

        private void addV6(long hi, long lo, int prefix) {
            entries++;
            long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0L : -1L << (64 - prefix);
            long loMask = prefix <= 64 ? 0L : prefix == 128 ? -1L : -1L << (128 - prefix);
            if (v6n + 4 > v6.length) v6 = Arrays.copyOf(v6, v6.length * 2);
            v6[v6n++] = hi & hiMask;
            v6[v6n++] = lo & loMask;
            v6[v6n++] = hi | ~hiMask;
            v6[v6n++] = lo | ~loMask;
        }

        IpSet build() {
            long[] keys = Arrays.copyOf(v4, v4n);
            Arrays.sort(keys);
            long[] s4 = new long[keys.length];
            long[] e4 = new long[keys.length];
            int m = 0;
            for (long k : keys) {
                long x = k ^ Long.MIN_VALUE;
                long s = x >>> 32, e = x & 0xFFFF_FFFFL;
                if (m > 0 && s <= e4[m - 1] + 1) {
                    if (e > e4[m - 1]) e4[m - 1] = e;
                } else {
                    s4[m] = s;
                    e4[m] = e;
                    m++;
                }
            }
            int n6 = v6n / 4;
            Integer[] order = new Integer[n6];
            for (int i = 0; i < n6; i++) order[i] = i;
            long[] r = v6;
            Arrays.sort(order, (a, b) -> compare(r[a * 4], r[a * 4 + 1], r[b * 4], r[b * 4 + 1]));
            long[] sHi = new long[n6], sLo = new long[n6], eHi = new long[n6], eLo = new long[n6];
            int k6 = 0;
            for (int idx : order) {
                int o = idx * 4;
                if (k6 > 0 && adjacentOrOverlapping(eHi[k6 - 1], eLo[k6 - 1], r[o], r[o + 1])) {
                    if (compare(r[o + 2], r[o + 3], eHi[k6 - 1], eLo[k6 - 1]) > 0) {
                        eHi[k6 - 1] = r[o + 2];
                        eLo[k6 - 1] = r[o + 3];
                    }
                } else {
                    sHi[k6] = r[o];
                    sLo[k6] = r[o + 1];
                    eHi[k6] = r[o + 2];
                    eLo[k6] = r[o + 3];
                    k6++;
                }
            }
            return new IpSet(Arrays.copyOf(s4, m), Arrays.copyOf(e4, m), Arrays.copyOf(sHi, k6), Arrays.copyOf(sLo, k6),
                    Arrays.copyOf(eHi, k6), Arrays.copyOf(eLo, k6), entries);
        }

        /** True when the next range starts at or before one past the previous range's end. */
        private static boolean adjacentOrOverlapping(long endHi, long endLo, long startHi, long startLo) {
            if (endHi == -1L && endLo == -1L) return true; // previous range reaches the top of the space
            long nextLo = endLo + 1;
            long nextHi = nextLo == 0 ? endHi + 1 : endHi;
            return compare(startHi, startLo, nextHi, nextLo) <= 0;
        }

        /**
         * Parses "a.b.c.d" or "a.b.c.d/n" without allocating; returns (address << 6 | prefix)
         * or -1 when the text is not in that exact form (the general parser then decides).
         */
        static long parseV4Fast(String s) {
            int len = s.length();
            long addr = 0;
            int i = 0;
            for (int part = 0; part < 4; part++) {
                int start = i, v = 0;
                while (i < len && i - start < 4) {
                    char c = s.charAt(i);
                    if (c < '0' || c > '9') break;
                    v = v * 10 + (c - '0');
                    i++;
                }
                if (i == start || i - start > 3 || v > 255) return -1;
                addr = (addr << 8) | v;
                if (part < 3) {
                    if (i >= len || s.charAt(i) != '.') return -1;
                    i++;
                }
            }
            int prefix = 32;
            if (i < len) {
                if (s.charAt(i) != '/' || i + 1 == len || len - i - 1 > 2) return -1;
                prefix = 0;
                for (int j = i + 1; j < len; j++) {
                    char c = s.charAt(j);
                    if (c < '0' || c > '9') return -1;
                    prefix = prefix * 10 + (c - '0');
                }
                if (prefix > 32) return -1;
            }
            return (addr << 6) | prefix;
        }
    }
}
