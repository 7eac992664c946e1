package dev.bulwark.control.api;

import dev.bulwark.core.time.Clock;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Remembers the response to each create sent with an {@code Idempotency-Key}, per token, so
 * a client that retries after a timeout gets the original answer instead of a duplicate.
 * The request (method, path, body) is fingerprinted: the same key with a different request
 * is refused rather than silently answered with the first response.
 */
final class IdempotencyStore {
    record Stored(String requestHash, int status, String body) {}

    private final Jdbi jdbi;
    private final Clock clock;

    IdempotencyStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    Optional<Stored> find(String tokenId, String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT request_hash, status, body FROM idempotency_record "
                        + "WHERE token_id = :t AND idem_key = :k AND created_at >= :cutoff")
                .bind("t", tokenId).bind("k", key).bind("cutoff", clock.currentTimeMillis() - RETENTION_MILLIS)
                .map((rs, ctx) -> new Stored(rs.getString("request_hash"), rs.getInt("status"), rs.getString("body")))
                .findOne());
    }

    /** How long an answer is kept for retries; older records are dropped as new ones are saved. */
    static final long RETENTION_MILLIS = 24 * 3600 * 1000L;

    void save(String tokenId, String key, String requestHash, int status, String body) {
        long now = clock.currentTimeMillis();
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM idempotency_record WHERE created_at < :cutoff")
                .bind("cutoff", now - RETENTION_MILLIS).execute());
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO idempotency_record (token_id, idem_key, request_hash, status, body, created_at) "
                            + "VALUES (:t, :k, :r, :s, :b, :at)")
                    .bind("t", tokenId).bind("k", key).bind("r", requestHash).bind("s", status).bind("b", body)
                    .bind("at", now).execute());
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            // a concurrent retry with the same key stored its answer first; both answers describe the same create
        }
    }

    static String fingerprint(String method, String path, String body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
