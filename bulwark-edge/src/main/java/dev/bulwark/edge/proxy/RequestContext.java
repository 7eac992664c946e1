package dev.bulwark.edge.proxy;

import dev.bulwark.core.request.RequestFacts;
import dev.bulwark.edge.zone.Zone;
import io.netty.handler.codec.http.HttpRequest;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything known about one request while it crosses the edge: who sent it, the config
 * snapshot it is served with, the zone, what was decided (action, rule, the edge's own
 * answer), timings and byte counts for the access log. Phases read the request through the
 * {@link RequestFacts} view. One instance per request, used only on its event loop.
 */
public final class RequestContext implements RequestFacts {
    /** The edge's own answer to a request: status, and a plain reason shown on the error page. */
    public record Answer(int status, String reason) {}

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

    public Answer edgeAnswer() { return answer; }

    /** Runs when the request is finished, whatever the outcome (releases a concurrency slot, for example). */
    public void onFinish(Runnable r) {
        if (onFinish == null) onFinish = new ArrayList<>(2);
        onFinish.add(r);
    }

    void runFinishers() {
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

    @Override public boolean zoneUnderAttack() { return zone != null && zone.config().challenge().underAttack(); }

    @Override public int clearanceLevel() { return clearanceLevel; }

    @Override public String clearanceId() { return clearanceId; }
}
