package dev.bulwark.edge.upstream;

/**
 * When a failed request may be sent again, to another origin. Only idempotent methods (RFC 9110 9.2.2) are
 * retried, and only when no byte of the request reached the origin: otherwise the origin may have acted on
 * it and a second copy could, for example, charge a card twice. Each retry goes to an origin not yet tried
 * ({@link OriginPool#pick(Origin)}, {@link OriginPool#pickExcluding}); {@value #MAX_ATTEMPTS} attempts at most, so a pool of dead
 * origins costs a visitor a bounded number of connect timeouts.
 */
public final class RetryPolicy {
    /** The first attempt plus at most two retries. */
    public static final int MAX_ATTEMPTS = 3;

    private RetryPolicy() {}

    /**
     * @param method            the request method, case-sensitive as HTTP methods are ("get" is not GET)
     * @param requestBytesSent  whether any byte of the request was written to the origin
     * @param attempt           the number of attempts made so far, 1 after the first one failed
     */
    public static boolean mayRetry(String method, boolean requestBytesSent, int attempt) {
        return !requestBytesSent && attempt >= 1 && attempt < MAX_ATTEMPTS && isIdempotent(method);
    }

    /** As {@link #mayRetry(String, boolean, int)}, also bounded by the origins left to try in the pool. */
    public static boolean mayRetry(String method, boolean requestBytesSent, int attempt, int originCount) {
        return attempt < originCount && mayRetry(method, requestBytesSent, attempt);
    }

    public static boolean isIdempotent(String method) {
        if (method == null) return false;
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }
}
