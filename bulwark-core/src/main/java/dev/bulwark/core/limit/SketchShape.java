package dev.bulwark.core.limit;

/**
 * Size of a count-min sketch. The over-count bound is about {@code e · events / width} per
 * window, so width is chosen from the traffic a window sees; depth trades CPU for confidence.
 */
public record SketchShape(int width, int depth) {
    /** 16,384 × 4: 512 KiB per sketch; over-count ≤ ~0.02% of the window's events with 98% confidence. */
    public static final SketchShape DEFAULT = new SketchShape(1 << 14, 4);
    /** 2,048 × 4 for tests and small per-zone structures. */
    public static final SketchShape SMALL = new SketchShape(1 << 11, 4);

    public SketchShape {
        if (width < 16 || Integer.bitCount(width) != 1) throw new IllegalArgumentException("sketch width must be a power of two >= 16, got " + width);
        if (depth < 1 || depth > 16) throw new IllegalArgumentException("sketch depth must be 1..16, got " + depth);
    }
}
