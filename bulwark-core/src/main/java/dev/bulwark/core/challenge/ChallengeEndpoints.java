package dev.bulwark.core.challenge;

import dev.bulwark.core.request.RequestFacts;
import dev.bulwark.core.spi.KeyRing;
import dev.bulwark.core.time.Clock;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The challenge's HTTP surface as pure request-to-response logic, so the edge phase is a
 * thin adapter: it asks {@link ChallengeDecision}, then copies the {@link ChallengeResponse}
 * from {@link #interstitial}, {@link #denied} or {@link #handle} onto the wire.
 *
 * <p>The visitor's round trip:
 * <ol>
 *   <li>a navigation without clearance gets the interstitial (403, {@code Bulwark-Mitigated:
 *       challenge}, {@code no-store}, {@code noindex}) holding a proof-of-work token and a
 *       no-script wait token, both signed and bound to zone, client prefix and user agent;</li>
 *   <li>the page's worker solves the puzzle and the page goes to {@value #VERIFY_PATH}
 *       {@code ?token=…&counter=…}; without JavaScript a meta refresh goes to
 *       {@value #WAIT_PATH}{@code ?token=…} after the wait;</li>
 *   <li>either one sets the clearance cookie (level 2 or 1) and answers 303 to
 *       {@value #CHECK_PATH}{@code ?token=…};</li>
 *   <li>the check sees the cookie and answers 303 to the original path and query. When the
 *       cookie did not come back the browser refuses cookies: the check explains that
 *       instead of sending the visitor round the loop again.</li>
 * </ol>
 *
 * <p>Only GET and HEAD navigations are ever challenged with a page, so the way back is
 * always a GET (303). A POST is answered 403 instead: replaying its body after the detour
 * would mean holding every challenged body in server memory, which an attacker could fill.
 *
 * <p>A token that is genuine but expired leads back to the original URL, where a fresh
 * challenge starts. A visitor whose address moved to another network while solving gets a
 * page saying so with a link to try again, rather than a loop of challenges. Forged
 * tokens get an error page. Nothing here is stored on the server.
 */
public final class ChallengeEndpoints {
    public static final String PREFIX = "/.well-known/bulwark/";
    public static final String SCRIPT_PATH = ChallengePage.SCRIPT_PATH;
    public static final String VERIFY_PATH = PREFIX + "challenge/verify";
    public static final String WAIT_PATH = PREFIX + "challenge/wait";
    public static final String CHECK_PATH = PREFIX + "challenge/check";
    public static final String MITIGATED_HEADER = "Bulwark-Mitigated";

    private final ChallengeTokens tokens;
    private final Clearances clearances;
    private final ClearanceVerifier verifier;
    private final Clock clock;

    public ChallengeEndpoints(KeyRing keys, Clock clock) {
        this.tokens = new ChallengeTokens(keys);
        this.clearances = new Clearances(keys);
        this.verifier = new ClearanceVerifier(keys);
        this.clock = clock;
    }

    public ChallengeTokens tokens() { return tokens; }

    public ClearanceVerifier verifier() { return verifier; }

    /** True for the paths {@link #handle} answers; the edge routes them here before anything is forwarded. */
    public static boolean isEndpoint(String path) {
        return SCRIPT_PATH.equals(path) || VERIFY_PATH.equals(path) || WAIT_PATH.equals(path) || CHECK_PATH.equals(path);
    }

    /**
     * The clearance level this request's cookie grants (0 for none), filling {@code into}
     * when not null. Reads the Cookie header, the zone, client address and User-Agent.
     */
    public int clearance(RequestFacts req, ClearanceClaims into) {
        return clearance(req, clock.currentTimeMillis(), false, into);
    }

    /**
     * Looks through the Cookie header, and through further Cookie header fields when there
     * are several (HTTP/2 clients may split cookies into one field each; the list is only
     * read when the first field holds no clearance).
     */
    private int clearance(RequestFacts req, long now, boolean ignoreExpiry, ClearanceClaims into) {
        String zone = req.zoneId();
        InetAddress client = req.clientAddress();
        String ua = req.header("user-agent");
        String first = req.header("cookie");
        if (first == null) return ignoreExpiry ? verifier.genuineIgnoringExpiry(null, zone, client, ua, into)
                : verifier.verifyCookieHeader(null, zone, client, ua, now, into);
        int level = ignoreExpiry ? verifier.genuineIgnoringExpiry(first, zone, client, ua, into)
                : verifier.verifyCookieHeader(first, zone, client, ua, now, into);
        if (level > 0) return level;
        List<String> all = req.headers("cookie");
        for (int i = 1; i < all.size() && level == 0; i++) {
            level = ignoreExpiry ? verifier.genuineIgnoringExpiry(all.get(i), zone, client, ua, into)
                    : verifier.verifyCookieHeader(all.get(i), zone, client, ua, now, into);
        }
        return level;
    }

    /** The interstitial for a navigation without clearance, at the detector's pressure level (0..4). */
    public ChallengeResponse interstitial(RequestFacts req, ChallengeRules rules, int pressure, String requestId) {
        long now = clock.currentTimeMillis();
        String ua = req.header("user-agent");
        Duration ttl = rules.config().tokenTtl();
        int bits = rules.difficulty(pressure);
        Duration wait = Difficulty.noscriptWait(rules.config().noscriptWait(), pressure);
        String pow = tokens.issueProofOfWork(req.zoneId(), req.clientAddress(), ua, bits, ttl, req.method(), req.uri(), now);
        String waitUrl = rules.config().noscriptFallback()
                ? WAIT_PATH + "?token=" + tokens.issueWait(req.zoneId(), req.clientAddress(), ua, wait, ttl, req.method(), req.uri(), now)
                : null;
        ChallengePage.Page page = rules.look().render(new ChallengePage.Interstitial(
                ChallengeTokens.nonceHex(pow), bits, VERIFY_PATH + "?token=" + pow, waitUrl,
                Math.max(1, (wait.toMillis() + 999) / 1000), requestId));
        return html(403, page, "HEAD".equals(req.method())).header(MITIGATED_HEADER, "challenge").done();
    }

    /** The 403 for requests that cannot show a page: JSON body and {@code Bulwark-Mitigated: challenge}. */
    public ChallengeResponse denied(RequestFacts req, String requestId) {
        String body = "{\"error\":\"challenge_required\",\"status\":403,\"mitigated\":\"challenge\",\"request_id\":\""
                + jsonEscape(requestId == null ? "" : requestId) + "\",\"message\":\"This site is checking visitors. "
                + "Open the address in a web browser to pass a short check, then retry this request.\"}";
        return ChallengeResponse.status(403)
                .header(MITIGATED_HEADER, "challenge")
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .body("application/json", body.getBytes(StandardCharsets.UTF_8), "HEAD".equals(req.method()));
    }

    /**
     * Answers the script, verify, wait and check paths; null for any other path. The zone
     * must already be resolved ({@link RequestFacts#zoneId()}).
     */
    public ChallengeResponse handle(RequestFacts req, ChallengeRules rules, String requestId) {
        String path = req.path();
        if (!isEndpoint(path)) return null;
        boolean head = "HEAD".equals(req.method());
        if (!"GET".equals(req.method()) && !head) {
            return ChallengeResponse.status(405).header("Allow", "GET, HEAD").header("Cache-Control", "no-store").empty();
        }
        if (SCRIPT_PATH.equals(path)) {
            return ChallengeResponse.status(200)
                    .header("Cache-Control", "public, max-age=3600")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Cross-Origin-Resource-Policy", "same-origin")
                    .body("text/javascript; charset=utf-8", ChallengePage.SCRIPT, head);
        }
        String token = param(req.query(), "token");
        if (VERIFY_PATH.equals(path)) return verify(req, rules, requestId, token, head);
        if (WAIT_PATH.equals(path)) return waited(req, rules, requestId, token, head);
        return check(req, rules, requestId, token, head);
    }

    private ChallengeResponse verify(RequestFacts req, ChallengeRules rules, String requestId, String token, boolean head) {
        long counter = parseCounter(param(req.query(), "counter"));
        long now = clock.currentTimeMillis();
        ChallengeTokens.Check check = counter < 0 ? ChallengeTokens.Check.INSUFFICIENT_WORK
                : tokens.verifySolution(token, counter, req.zoneId(), req.clientAddress(), req.header("user-agent"), now);
        return grantOrExplain(req, rules, requestId, token, head, check, Clearances.LEVEL_PROOF_OF_WORK, now);
    }

    private ChallengeResponse waited(RequestFacts req, ChallengeRules rules, String requestId, String token, boolean head) {
        long now = clock.currentTimeMillis();
        if (!rules.config().noscriptFallback()) {
            // The zone stopped offering the wait after this token was issued: back to a fresh page.
            ChallengeToken t = tokens.open(token);
            return t == null ? notice(rules, ChallengePage.Notice.INVALID, "/", 400, requestId, head) : redirect(t.target());
        }
        ChallengeTokens.Check check = tokens.verifyWait(token, req.zoneId(), req.clientAddress(), req.header("user-agent"), now);
        if (check == ChallengeTokens.Check.TOO_EARLY) {
            ChallengeToken t = tokens.open(token);
            long seconds = Math.max(1, (t.notBefore() - now + 999) / 1000);
            return html(200, rules.look().notice(ChallengePage.Notice.KEEP_WAITING, WAIT_PATH + "?token=" + token, seconds, requestId),
                    head).done();
        }
        return grantOrExplain(req, rules, requestId, token, head, check, Clearances.LEVEL_WAIT, now);
    }

    private ChallengeResponse grantOrExplain(RequestFacts req, ChallengeRules rules, String requestId, String token,
                                             boolean head, ChallengeTokens.Check check, int level, long now) {
        ChallengeToken t = check == ChallengeTokens.Check.FORGED ? null : tokens.open(token);
        if (t == null) return notice(rules, ChallengePage.Notice.INVALID, "/", 400, requestId, head);
        switch (check) {
            case VALID -> {
                String ua = req.header("user-agent");
                InetAddress client = req.clientAddress();
                ClearanceClaims previous = new ClearanceClaims();
                byte[] id = clearance(req, now, true, previous) > 0 ? previous.idBytes() : Clearances.idFor(t.nonce());
                Duration ttl = rules.config().clearanceTtl();
                String cookie = clearances.issue(req.zoneId(), client, ua, level, id, now, ttl);
                return ChallengeResponse.status(303)
                        .header("Location", CHECK_PATH + "?token=" + token)
                        .header("Set-Cookie", Clearances.setCookie(cookie, ttl, req.tls()))
                        .header("Cache-Control", "no-store")
                        .header("Referrer-Policy", "no-referrer")
                        .empty();
            }
            case INSUFFICIENT_WORK -> {
                return notice(rules, ChallengePage.Notice.WRONG_ANSWER, t.target(), 403, requestId, head);
            }
            case WRONG_CLIENT -> {
                // The address moved to another network while solving (VPN, privacy relay, mobile
                // handover). A redirect would start a new challenge that may end the same way:
                // explain instead of looping, and offer one click to try again.
                return notice(rules, ChallengePage.Notice.NETWORK_CHANGED, t.target(), 403, requestId, head);
            }
            default -> {
                // Genuine but expired, or for another zone or browser: start over at the original URL.
                return redirect(t.target());
            }
        }
    }

    private ChallengeResponse check(RequestFacts req, ChallengeRules rules, String requestId, String token, boolean head) {
        ChallengeToken t = tokens.open(token);
        if (t == null) return notice(rules, ChallengePage.Notice.INVALID, "/", 400, requestId, head);
        if (clearance(req, null) > 0) return redirect(t.target());
        return notice(rules, ChallengePage.Notice.COOKIES_REFUSED, t.target(), 403, requestId, head);
    }

    private static ChallengeResponse redirect(String target) {
        return ChallengeResponse.status(303)
                .header("Location", ChallengeTokens.safeReturnTarget(target))
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .empty();
    }

    private ChallengeResponse notice(ChallengeRules rules, ChallengePage.Notice n, String link, int status, String requestId, boolean head) {
        return html(status, rules.look().notice(n, link, 0, requestId), head).done();
    }

    /** Headers every challenge page carries: never cached, never indexed, never framed, strict CSP. */
    private static HtmlResponse html(int status, ChallengePage.Page page, boolean head) {
        return new HtmlResponse(status, page, head);
    }

    private static final class HtmlResponse {
        private final ChallengeResponse.Builder b;
        private final byte[] body;
        private final boolean head;

        HtmlResponse(int status, ChallengePage.Page page, boolean head) {
            this.b = ChallengeResponse.status(status)
                    .header("Cache-Control", "no-store")
                    .header("X-Robots-Tag", "noindex, nofollow")
                    .header("Content-Security-Policy", page.contentSecurityPolicy())
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer");
            this.body = page.html().getBytes(StandardCharsets.UTF_8);
            this.head = head;
        }

        HtmlResponse header(String name, String value) {
            b.header(name, value);
            return this;
        }

        ChallengeResponse done() { return b.body("text/html; charset=utf-8", body, head); }
    }

    /** Raw value of a query parameter, or null; our values are URL-safe Base64 and digits, never percent-encoded. */
    static String param(String query, String name) {
        if (query == null || query.isEmpty()) return null;
        int from = 0;
        while (from <= query.length()) {
            int amp = query.indexOf('&', from);
            int end = amp < 0 ? query.length() : amp;
            if (end - from > name.length() && query.startsWith(name, from) && query.charAt(from + name.length()) == '=') {
                return query.substring(from + name.length() + 1, end);
            }
            if (amp < 0) break;
            from = amp + 1;
        }
        return null;
    }

    /** A non-negative decimal counter below 2^53 (what a browser can count to), or -1. */
    static long parseCounter(String s) {
        if (s == null || s.isEmpty() || s.length() > 16) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v < (1L << 53) ? v : -1;
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
