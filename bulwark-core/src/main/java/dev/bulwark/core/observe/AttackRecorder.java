package dev.bulwark.core.observe;

/**
 * Where the edge reports its attack events: once when a zone's detector opens one, again
 * whenever it changes (higher peak, new signature, mitigation switched on) and once when it ends
 * ({@link AttackRecord#endMillis()} set). Each report is the whole event, so a later one replaces
 * an earlier one with the same id. Called from the detector's scheduler thread, never from an
 * event loop; implementations must still not block (the same thread detects every zone's
 * attacks): hand the record to a writer of their own.
 */
@FunctionalInterface
public interface AttackRecorder {
    void report(AttackRecord event);

    /** Reports nothing; the default without a control plane. */
    AttackRecorder NONE = event -> { };
}
