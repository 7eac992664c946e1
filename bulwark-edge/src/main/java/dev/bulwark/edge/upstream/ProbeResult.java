package dev.bulwark.edge.upstream;

/**
 * The outcome of one active health probe: success, the HTTP status (0 when none arrived), why it failed,
 * and how long it took.
 */
record ProbeResult(boolean success, int status, String reason, long nanos) {
    static ProbeResult ok(int status, long nanos) { return new ProbeResult(true, status, "status " + status, nanos); }

    static ProbeResult failed(int status, String reason, long nanos) { return new ProbeResult(false, status, reason, nanos); }
}
