package dev.bulwark.core.ddos;

/**
 * HyperLogLog estimate of distinct 64-bit hashes in 1,024 one-byte registers (standard error
 * about 3%). Used once per tick by the detector thread; not thread-safe.
 */
final class DistinctCounter {
    private static final int P = 10;
    private static final int M = 1 << P;
    private static final double ALPHA = 0.7213 / (1 + 1.079 / M);
    private final byte[] registers = new byte[M];

    void add(long hash) {
        int idx = (int) (hash >>> (64 - P));
        long w = hash << P | (1L << (P - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(w) + 1);
        if (rank > registers[idx]) registers[idx] = rank;
    }

    double estimate() {
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) zeros++;
        }
        double e = ALPHA * M * M / sum;
        if (e <= 2.5 * M && zeros > 0) e = M * Math.log((double) M / zeros);
        return e;
    }

    void clear() { java.util.Arrays.fill(registers, (byte) 0); }
}
