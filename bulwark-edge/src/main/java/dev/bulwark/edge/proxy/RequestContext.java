package dev.bulwark.edge.proxy;

import dev.bulwark.core.request.RequestFacts;
import dev.bulwark.edge.zone.Zone;
import io.netty.handler.codec.http.HttpRequest;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything known about one request while it crosses the edge: who sent it, the config
 * snapshot it is served with, the zone, what was decided (action, rule, the edge's own
 * answer), timings and byte counts for the access log. Phases read the request through the
 * {@link RequestFacts} view. One instance per request, used only on its event loop.
 */
public final class RequestContext implements RequestFacts {
    /**
     * The edge's own answer to a request. With {@code body} null it is the branded error page
     * for {@code status} showing {@code reason}; otherwise exactly {@code headers} and
     * {@code body} (a challenge page, a redirect). {@code headers} are added either way
     * (Retry-After, Set-Cookie). A positive {@code delayNanos} holds the answer back that long
     * (tarpit), scheduled on the event loop.
     */
    public record Answer(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body, long delayNanos) {
        public Answer {
            headers = headers == null ? List.of() : List.copyOf(headers);
        }

        public Answer(int status, String reason) { this(status, reason, List.of(), null, 0); }

        Answer withHeader(String name, String value) {
            List<Map.Entry<String, String>> h = new ArrayList<>(headers);
            h.add(Map.entry(name, value));
            return new Answer(status, reason, h, body, delayNanos);
        }

        Answer delayed(long nanos) { return new Answer(status, reason, headers, body, nanos); }
    }

    private final String requestId;
    private final EdgeSnapshot snapshot;
    private final HttpRequest request;
    private final InetAddress peerAddress;
    private final InetAddress clientAddress;
    private final boolean tls;
    private final String sni;
    private final String httpVersion;
    private final String host;
    private final String path;
    private final String query;
    private final long startNanos;
    private final long startMillis;

    private Zone zone;
    private Answer answer;
    private String action = "allowed";
    private String rule;
    private int status;
    private long bytesIn;
    private long bytesOut;
    private long upstreamStartNanos = -1;
    private long upstreamFirstByteNanos = -1;
    private long endNanos = -1;
    private String origin;
    private int clearanceLevel;
    private String clearanceId;
    private List<Runnable> onFinish;
    private boolean securityAllowed;
    private Set<String> skippedPhases;
    private String challengeRequestedBy;
    private List<String> logged;
    private boolean closeConnection;

    public RequestContext(String requestId, EdgeSnapshot snapshot, HttpRequest request, InetAddress peerAddress,
                          InetAddress clientAddress, boolean tls, String sni, String httpVersion, String host,
                          long startNanos, long startMillis) {
        this.requestId = requestId;
        this.snapshot = snapshot;
        this.request = request;
        this.peerAddress = peerAddress;
        this.clientAddress = clientAddress;
        this.tls = tls;
        this.sni = sni;
        this.httpVersion = httpVersion;
        this.host = host;
        this.startNanos = startNanos;
        this.startMillis = startMillis;
        String uri = request.uri();
        int q = uri.indexOf('?');
        this.path = q < 0 ? uri : uri.substring(0, q);
        this.query = q < 0 ? "" : uri.substring(q + 1);
    }

    // ---- decisions -------------------------------------------------------------------

    /** Answers the request from the edge: nothing is forwarded. The phase then returns ANSWERED. */
    public Phase.Result answer(int status, String action, String rule, String reason) {
        this.answer = new Answer(status, reason);
        this.action = action;
        this.rule = rule;
        return Phase.Result.ANSWERED;
    }

    /**
     * Answers with a complete response of the edge's own (challenge page, redirect, JSON):
     * {@code headers} must include Content-Type and Content-Length; {@code body} may be empty.
     */
    public Phase.Result answer(int status, List<Map.Entry<String, String>> headers, byte[] body, String action, String rule) {
        this.answer = new Answer(status, null, headers, body, 0);
        this.action = action;
        this.rule = rule;
        return Phase.Result.ANSWERED;
    }

    /** Adds a header to the answer already chosen (Retry-After on a 429). */
    public void answerHeader(String name, String value) {
        if (answer == null) throw new IllegalStateException("no answer chosen yet");
        answer = answer.withHeader(name, value);
    }

    /** Holds the answer already chosen back for {@code nanos} before sending it (tarpit). */
    public void delayAnswer(long nanos) {
        if (answer == null) throw new IllegalStateException("no answer chosen yet");
        answer = answer.delayed(nanos);
    }

    public Answer edgeAnswer() { return answer; }

    /**
     * Ends the client's connection once the answer is written: on HTTP/1.1 the answer says
     * {@code Connection: close} and the edge closes after it; on HTTP/2 the connection is closed
     * gracefully (GOAWAY: streams already open finish, no new one is taken).
     */
    public void closeConnection() { closeConnection = true; }

    /** Whether the answer ends the client's connection ({@link #closeConnection()}). */
    public boolean closesConnection() { return closeConnection; }

    // ---- security verdicts, shared by the firewall, rate-limit and challenge phases ------

    /** An allow rule matched: every remaining security phase lets the request through. */
    public void allowPastSecurity(String rule) {
        securityAllowed = true;
        this.rule = rule;
    }

    /** Skip rules matched: the named phases do not run for this request. */
    public void skipPhases(Collection<String> phases) {
        if (phases.isEmpty()) return;
        if (skippedPhases == null) skippedPhases = new HashSet<>(4);
        skippedPhases.addAll(phases);
    }

    /** True when the named security phase must not run (an allow rule matched, or a skip rule named it). */
    public boolean skips(String phase) {
        return securityAllowed || skippedPhases != null && skippedPhases.contains(phase);
    }

    /** A policy asks the challenge phase to challenge this request; the first one to ask is named. */
    public void requestChallenge(String rule) {
        if (challengeRequestedBy == null) challengeRequestedBy = rule;
    }

    public boolean challengeRequested() { return challengeRequestedBy != null; }

    /** The rule that asked for a challenge, or null. */
    public String challengeRequestedBy() { return challengeRequestedBy; }

    /** A rule matched without changing the outcome (log action, log-only mode): named in the access log. */
    public void logged(String rule) {
        if (logged == null) logged = new ArrayList<>(2);
        logged.add(rule);
    }

    /** Rules that matched only to be logged, in the order they ran; empty when none. */
    public List<String> loggedRules() { return logged == null ? List.of() : logged; }

    /** Runs when the request is finished, whatever the outcome (releases a concurrency slot, for example). */
    public void onFinish(Runnable r) {
        if (onFinish == null) onFinish = new ArrayList<>(2);
        onFinish.add(r);
    }

    /** Runs the {@link #onFinish} actions once; the edge calls it when the request ends. */
    public void runFinishers() {
        if (onFinish == null) return;
        for (Runnable r : onFinish) r.run();
        onFinish = null;
    }

    public void zone(Zone z) { this.zone = z; }

    public Zone zone() { return zone; }

    public void action(String action, String rule) { this.action = action; this.rule = rule; }

    public String action() { return action; }

    public String rule() { return rule; }

    public void clearance(int level, String id) { this.clearanceLevel = level; this.clearanceId = id; }

    // ---- request ---------------------------------------------------------------------

    public String requestId() { return requestId; }

    public EdgeSnapshot snapshot() { return snapshot; }

    /** The request head; the upstream phase rewrites its headers in place before forwarding. */
    public HttpRequest request() { return request; }

    /** The socket peer (may be a trusted proxy). */
    public InetAddress peerAddress() { return peerAddress; }

    /** The server name the TLS client asked for, or null. */
    public String sni() { return sni; }

    // ---- progress, for logs and metrics ----------------------------------------------

    public long startNanos() { return startNanos; }

    public long startMillis() { return startMillis; }

    public int status() { return status; }

    public void status(int status) { this.status = status; }

    public long bytesIn() { return bytesIn; }

    public void addBytesIn(long n) { bytesIn += n; }

    public long bytesOut() { return bytesOut; }

    public void addBytesOut(long n) { bytesOut += n; }

    public void upstreamStarted(long nanos, String origin) {
        if (upstreamStartNanos < 0) upstreamStartNanos = nanos;
        this.origin = origin;
    }

    public void upstreamFirstByte(long nanos) { if (upstreamFirstByteNanos < 0) upstreamFirstByteNanos = nanos; }

    /** Nanoseconds from first sending to the origin to its first response byte; -1 when not known. */
    public long upstreamNanos() {
        return upstreamStartNanos < 0 || upstreamFirstByteNanos < 0 ? -1 : upstreamFirstByteNanos - upstreamStartNanos;
    }

    public String origin() { return origin; }

    public void ended(long nanos) { if (endNanos < 0) endNanos = nanos; }

    public long totalNanos() { return endNanos < 0 ? -1 : endNanos - startNanos; }

    // ---- RequestFacts ----------------------------------------------------------------

    @Override public InetAddress clientAddress() { return clientAddress; }

    @Override public String host() { return host; }

    @Override public String method() { return request.method().name(); }

    @Override public String uri() { return request.uri(); }

    @Override public String path() { return path; }

    @Override public String query() { return query; }

    @Override public String header(String name) { return request.headers().get(name); }

    @Override public List<String> headers(String name) { return request.headers().getAll(name); }

    @Override public String httpVersion() { return httpVersion; }

    @Override public boolean tls() { return tls; }

    @Override public String zoneId() { return zone == null ? null : zone.id(); }

    @Override public boolean zoneUnderAttack() { return zone != null && zone.underAttack(); }

    @Override public int clearanceLevel() { return clearanceLevel; }

    @Override public String clearanceId() { return clearanceId; }
}
