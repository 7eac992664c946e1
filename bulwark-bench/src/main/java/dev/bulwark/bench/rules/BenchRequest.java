package dev.bulwark.bench.rules;

import dev.bulwark.core.request.RequestFacts;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request whose values are already parsed, as the edge's request context holds them, so
 * benchmarks measure the rules and not request parsing.
 */
record BenchRequest(InetAddress clientAddress, String host, String method, String uri, String path, String query,
                    Map<String, String> headerMap, boolean tls) implements RequestFacts {
    static BenchRequest typical() {
        try {
            return new BenchRequest(InetAddress.getByName("100.64.12.34"), "www.example.com", "GET",
                    "/products/shoes/running?color=blue&size=42&page=2", "/products/shoes/running", "color=blue&size=42&page=2",
                    Map.of("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
                            "referer", "https://www.example.com/products",
                            "accept", "text/html,application/xhtml+xml",
                            "accept-language", "en-GB,en;q=0.9",
                            "cookie", "session=8f2a9c1e; theme=dark"), true);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public String header(String name) { return headerMap.get(name.toLowerCase(Locale.ROOT)); }

    @Override
    public List<String> headers(String name) {
        String v = header(name);
        return v == null ? List.of() : List.of(v);
    }

    @Override public String httpVersion() { return "HTTP/2"; }
    @Override public String zoneId() { return "shop"; }
    @Override public boolean zoneUnderAttack() { return false; }
    @Override public int clearanceLevel() { return 0; }
    @Override public String clearanceId() { return null; }
}
