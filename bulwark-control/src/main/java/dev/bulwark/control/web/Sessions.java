package dev.bulwark.control.web;

import dev.bulwark.control.auth.Principal;
import dev.bulwark.core.time.Clock;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard sessions, held in memory by the control plane: the browser keeps only a random id
 * in an HttpOnly cookie; the session keeps the id of the token it was opened with (never its
 * secret), the operator behind it, and its CSRF token. A session ends after {@code idle} without
 * a request, {@code lifetime} after sign-in, at sign-out, or when its token stops being valid
 * (checked by the caller on every request). A restart of the control plane signs everyone out.
 */
public final class Sessions {
    /** One signed-in browser. Times are epoch ms. */
    public record Session(String id, String tokenId, String operatorId, String csrf, long createdAt, long lastSeenAt) {
        Session seen(long now) { return new Session(id, tokenId, operatorId, csrf, createdAt, now); }
    }

    private final Clock clock;
    private final long idleMillis;
    private final long lifetimeMillis;
    private final int maxSessions;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    public Sessions(Clock clock, Duration idle, Duration lifetime, int maxSessions) {
        this.clock = clock;
        this.idleMillis = idle.toMillis();
        this.lifetimeMillis = lifetime.toMillis();
        this.maxSessions = maxSessions;
    }

    /** 30 minutes idle, 12 hours at most, 10 000 sessions. */
    public static Sessions defaults(Clock clock) { return new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(12), 10_000); }

    public Duration lifetime() { return Duration.ofMillis(lifetimeMillis); }

    /** A new session for the operator behind {@code p} (a fresh id at every sign-in: no fixation). */
    public Session open(Principal p) {
        long now = clock.currentTimeMillis();
        sweep(now);
        while (sessions.size() >= maxSessions) {
            sessions.values().stream().min(Comparator.comparingLong(Session::lastSeenAt)).ifPresent(s -> sessions.remove(s.id()));
        }
        Session s = new Session(randomToken(), p.tokenId(), p.operatorId(), randomToken(), now, now);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id, its idle timer restarted; empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null) return Optional.empty();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        long now = clock.currentTimeMillis();
        if (expired(s, now)) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        Session touched = s.seen(now);
        sessions.replace(id, s, touched);
        return Optional.of(touched);
    }

    public void end(String id) {
        if (id != null) sessions.remove(id);
    }

    /** Constant-time comparison of a presented CSRF token with the session's. */
    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    int size() { return sessions.size(); }

    private boolean expired(Session s, long now) {
        return now - s.lastSeenAt() >= idleMillis || now - s.createdAt() >= lifetimeMillis;
    }

    private void sweep(long now) {
        sessions.values().removeIf(s -> expired(s, now));
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
