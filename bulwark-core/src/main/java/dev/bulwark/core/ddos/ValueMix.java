package dev.bulwark.core.ddos;

/**
 * Weights of the most frequent values of one request field (space-saving top-K): a value not
 * yet present replaces the lightest one and inherits its weight, so heavy values are never
 * lost. Used as decaying shares in {@link ZoneBaseline} and as plain counts of attack samples.
 * Single-threaded (the detector's tick).
 */
final class ValueMix {
    final long[] keys;
    final double[] weights;
    final String[] labels;
    int size;
    double total;

    ValueMix(int capacity) {
        keys = new long[capacity];
        weights = new double[capacity];
        labels = new String[capacity];
    }

    void add(long key, String label, double w) {
        total += w;
        int min = 0;
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) { weights[i] += w; return; }
            if (weights[i] < weights[min]) min = i;
        }
        if (size < keys.length) {
            keys[size] = key; weights[size] = w; labels[size] = label; size++;
        } else {
            keys[min] = key; weights[min] += w; labels[min] = label;
        }
    }

    double weight(long key) {
        for (int i = 0; i < size; i++) if (keys[i] == key) return weights[i];
        return 0;
    }

    /** The value's share of the total, 0..1. */
    double share(long key) { return total <= 0 ? 0 : weight(key) / total; }

    void decay(double factor) {
        for (int i = 0; i < size; i++) weights[i] *= factor;
        total *= factor;
    }

    void clear() { size = 0; total = 0; }
}
