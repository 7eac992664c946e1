package dev.bulwark.control.audit;

import java.util.List;

/**
 * Proves the audit log has not been altered since it was written. Walks the chain from the
 * first entry: each entry's stored hash must equal the hash recomputed from its fields, its
 * {@code prev_hash} must equal the stored hash of the entry before it, and ids must have no
 * gaps. The first failure names the altered entry:
 *
 * <ul>
 *   <li>fields changed, hash left alone -> the entry's own hash check fails: that entry;</li>
 *   <li>fields changed and its hash recomputed -> the next entry's link fails: the entry
 *       before the broken link (whose hash was rewritten);</li>
 *   <li>an entry deleted -> the id gap: the first missing id.</li>
 * </ul>
 *
 * Cutting entries off the end leaves a valid shorter chain; anchoring the last hash outside
 * the store (the transparency report publishes it) is what detects that.
 */
public final class AuditChain {
    /** The outcome: intact, or the id of the first altered entry and why. */
    public record Verification(boolean intact, long entriesChecked, Long firstAlteredId, String reason, String lastHash) {}

    private static final int PAGE = 500;
    private final AuditLog log;

    public AuditChain(AuditLog log) { this.log = log; }

    public Verification verify() {
        long checked = 0;
        long expectedId = 1;
        String prevHash = AuditHasher.GENESIS;
        long after = 0;
        while (true) {
            List<AuditEntry> page = log.page(after, PAGE);
            for (AuditEntry e : page) {
                if (e.id() != expectedId) {
                    return new Verification(false, checked, expectedId, "entry " + expectedId + " is missing", prevHash);
                }
                if (!AuditHasher.hashOf(e).equals(e.hash())) {
                    return new Verification(false, checked, e.id(), "entry " + e.id() + " does not match its hash", prevHash);
                }
                if (!e.prevHash().equals(prevHash)) {
                    long culprit = e.id() > 1 ? e.id() - 1 : e.id();
                    return new Verification(false, checked, culprit,
                            "entry " + e.id() + " records a different hash for entry " + culprit, prevHash);
                }
                prevHash = e.hash();
                expectedId++;
                checked++;
            }
            if (page.size() < PAGE) return new Verification(true, checked, null, null, prevHash);
            after = page.get(page.size() - 1).id();
        }
    }
}
