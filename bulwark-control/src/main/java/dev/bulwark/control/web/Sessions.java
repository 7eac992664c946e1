package dev.bulwark.control.web;

import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.auth.TokenService;
import dev.bulwark.core.time.Clock;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Dashboard sessions, kept in the control-plane store ({@code dashboard_session}), so a restart
 * signs nobody out and every control-plane node behind one address knows every session. The
 * browser keeps only a random 256-bit id in an HttpOnly cookie; the store keeps its SHA-256, the
 * id of the token the session acts for (never its secret), the operator behind it, and its CSRF
 * token. A session ends after {@code idle} without a request, {@code lifetime} after sign-in, at
 * sign-out, or when its token stops being valid: {@link TokenService#revoke} deletes its rows and
 * the caller re-reads the token on every request.
 *
 * <p>The last use is written at most once per {@link #touchEvery} (a page polling every 2 s costs
 * no write each time), so the idle timeout counts from a use at most that much older than the last.
 * Expired rows are deleted when presented and, at most {@link #SWEEP_BATCH} at a time, at each sign-in.
 */
public final class Sessions {
    /** One signed-in browser: {@code id} is the cookie's value (held in memory only). Times are epoch ms. */
    public record Session(String id, String tokenId, String operatorId, String csrf, long createdAt, long lastSeenAt) {}

    static final int SWEEP_BATCH = 100;

    private final Jdbi jdbi;
    private final Clock clock;
    private final long idleMillis;
    private final long lifetimeMillis;
    private final long touchEvery;
    private final int maxSessions;
    private final SecureRandom random = new SecureRandom();

    public Sessions(Jdbi jdbi, Clock clock, Duration idle, Duration lifetime, int maxSessions) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.idleMillis = idle.toMillis();
        this.lifetimeMillis = lifetime.toMillis();
        this.touchEvery = Math.min(60_000, idleMillis / 30);
        this.maxSessions = maxSessions;
    }

    /** 30 minutes idle, 12 hours at most, 10 000 sessions. */
    public static Sessions defaults(Jdbi jdbi, Clock clock) {
        return new Sessions(jdbi, clock, Duration.ofMinutes(30), Duration.ofHours(12), 10_000);
    }

    public Duration lifetime() { return Duration.ofMillis(lifetimeMillis); }

    /** A new session for the operator behind {@code p} (a fresh id at every sign-in: no fixation). */
    public Session open(Principal p) {
        long now = clock.currentTimeMillis();
        Session s = new Session(randomToken(), p.tokenId(), p.operatorId(), randomToken(), now, now);
        jdbi.useHandle(h -> {
            sweep(h, now);
            long over = h.createQuery("SELECT COUNT(*) FROM dashboard_session").mapTo(Long.class).one() - maxSessions + 1;
            if (over > 0) { // the least recently used make room, a bounded batch at a time
                h.createUpdate("DELETE FROM dashboard_session WHERE id_hash IN "
                                + "(SELECT id_hash FROM dashboard_session ORDER BY last_seen_at LIMIT :n)")
                        .bind("n", Math.min(over, SWEEP_BATCH)).execute();
            }
            h.createUpdate("INSERT INTO dashboard_session (id_hash, token_id, operator_id, csrf, created_at, last_seen_at, expires_at) "
                            + "VALUES (:hash, :token, :op, :csrf, :now, :now, :exp)")
                    .bind("hash", TokenService.hashHex(s.id())).bind("token", s.tokenId()).bind("op", s.operatorId())
                    .bind("csrf", s.csrf()).bind("now", now).bind("exp", expiresAt(now, now)).execute();
        });
        return s;
    }

    /** The live session with this id, its idle timer restarted; empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) return Optional.empty();
        String hash = TokenService.hashHex(id);
        long now = clock.currentTimeMillis();
        return jdbi.withHandle(h -> {
            Optional<Session> found = h.createQuery("SELECT token_id, operator_id, csrf, created_at, last_seen_at FROM dashboard_session "
                            + "WHERE id_hash = :hash")
                    .bind("hash", hash)
                    .map((rs, ctx) -> new Session(id, rs.getString("token_id"), rs.getString("operator_id"), rs.getString("csrf"),
                            rs.getLong("created_at"), rs.getLong("last_seen_at")))
                    .findOne();
            if (found.isEmpty()) return found;
            Session s = found.get();
            if (now >= expiresAt(s.createdAt(), s.lastSeenAt())) {
                delete(h, hash);
                return Optional.<Session>empty();
            }
            if (now - s.lastSeenAt() < touchEvery) return found;
            h.createUpdate("UPDATE dashboard_session SET last_seen_at = :now, expires_at = :exp WHERE id_hash = :hash")
                    .bind("now", now).bind("exp", expiresAt(s.createdAt(), now)).bind("hash", hash).execute();
            return Optional.of(new Session(id, s.tokenId(), s.operatorId(), s.csrf(), s.createdAt(), now));
        });
    }

    public void end(String id) {
        if (id == null || id.isEmpty()) return;
        jdbi.useHandle(h -> delete(h, TokenService.hashHex(id)));
    }

    /** Constant-time comparison of a presented CSRF token with the session's. */
    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    int size() { return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM dashboard_session").mapTo(Integer.class).one()); }

    private long expiresAt(long createdAt, long lastSeenAt) {
        return Math.min(lastSeenAt + idleMillis, createdAt + lifetimeMillis);
    }

    private static void delete(org.jdbi.v3.core.Handle h, String idHash) {
        h.createUpdate("DELETE FROM dashboard_session WHERE id_hash = :hash").bind("hash", idHash).execute();
    }

    private static void sweep(org.jdbi.v3.core.Handle h, long now) {
        h.createUpdate("DELETE FROM dashboard_session WHERE id_hash IN "
                        + "(SELECT id_hash FROM dashboard_session WHERE expires_at <= :now ORDER BY expires_at LIMIT :n)")
                .bind("now", now).bind("n", SWEEP_BATCH).execute();
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
