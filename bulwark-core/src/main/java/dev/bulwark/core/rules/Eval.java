package dev.bulwark.core.rules;

import dev.bulwark.core.request.RequestFacts;

import java.net.InetAddress;

/**
 * The compiled evaluator shapes: one functional interface per result type, so the tree of
 * lambdas returns primitives ({@code boolean}, {@code long}) without boxing.
 */
final class Eval {
    private Eval() {}

    @FunctionalInterface
    interface Cond {
        boolean test(RequestFacts r);
    }

    /** Never returns null: absent values read as "". */
    @FunctionalInterface
    interface Str {
        String get(RequestFacts r);
    }

    @FunctionalInterface
    interface Num {
        long get(RequestFacts r);
    }

    /** May return null when the address is unknown. */
    @FunctionalInterface
    interface Ip {
        InetAddress get(RequestFacts r);
    }
}
