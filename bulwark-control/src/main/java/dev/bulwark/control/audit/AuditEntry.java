package dev.bulwark.control.audit;

/**
 * One recorded change: who ({@code actor}), when ({@code at}, epoch ms), what ({@code action}
 * on {@code target}), the state before and after (canonical text, null when there was none),
 * and its place in the chain: the hash of the entry before and its own hash.
 */
public record AuditEntry(long id, long at, String actor, String action, String target,
                         String before, String after, String prevHash, String hash) {}
