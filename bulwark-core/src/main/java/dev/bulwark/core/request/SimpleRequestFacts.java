package dev.bulwark.core.request;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain, mutable {@link RequestFacts} for tests, benchmarks and tools that evaluate
 * policies outside the edge (for example {@code bulwark rules check}).
 */
public final class SimpleRequestFacts implements RequestFacts {
    private InetAddress clientAddress;
    private String host = "";
    private String method = "GET";
    private String uri = "/";
    private String httpVersion = "HTTP/1.1";
    private boolean tls;
    private String zoneId;
    private boolean underAttack;
    private int clearanceLevel;
    private String clearanceId;
    private final List<String[]> headers = new ArrayList<>();

    public SimpleRequestFacts client(InetAddress a) { this.clientAddress = a; return this; }
    public SimpleRequestFacts host(String h) { this.host = h.toLowerCase(Locale.ROOT); return this; }
    public SimpleRequestFacts method(String m) { this.method = m; return this; }
    public SimpleRequestFacts uri(String u) { this.uri = u; return this; }
    public SimpleRequestFacts httpVersion(String v) { this.httpVersion = v; return this; }
    public SimpleRequestFacts tls(boolean t) { this.tls = t; return this; }
    public SimpleRequestFacts zone(String id, boolean underAttack) { this.zoneId = id; this.underAttack = underAttack; return this; }
    public SimpleRequestFacts clearance(int level, String id) { this.clearanceLevel = level; this.clearanceId = id; return this; }
    public SimpleRequestFacts header(String name, String value) { headers.add(new String[]{name, value}); return this; }

    @Override public InetAddress clientAddress() { return clientAddress; }
    @Override public String host() { return host; }
    @Override public String method() { return method; }
    @Override public String uri() { return uri; }

    @Override
    public String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public String query() {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q + 1);
    }

    @Override
    public String header(String name) {
        for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return h[1];
        return null;
    }

    @Override
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) out.add(h[1]);
        return out;
    }

    @Override public String httpVersion() { return httpVersion; }
    @Override public boolean tls() { return tls; }
    @Override public String zoneId() { return zoneId; }
    @Override public boolean zoneUnderAttack() { return underAttack; }
    @Override public int clearanceLevel() { return clearanceLevel; }
    @Override public String clearanceId() { return clearanceId; }
}
