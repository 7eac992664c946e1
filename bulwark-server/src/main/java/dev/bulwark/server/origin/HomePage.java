package dev.bulwark.server.origin;

import io.netty.handler.codec.http.HttpRequest;

import java.net.SocketAddress;
import java.util.List;

/** The demo origin's front page: shows what reached the origin, so a visitor sees what the edge added. */
final class HomePage {
    private static final List<String> SHOWN = List.of("Host", "Bulwark-Request-Id", "X-Forwarded-For",
            "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded", "Via", "User-Agent");

    private HomePage() {}

    static String render(HttpRequest req, SocketAddress peer) {
        StringBuilder rows = new StringBuilder();
        row(rows, "connection from", String.valueOf(peer));
        row(rows, "request", req.method() + " " + req.uri() + " " + req.protocolVersion());
        for (String name : SHOWN) {
            String v = req.headers().get(name);
            row(rows, name, v == null ? "(not set)" : v);
        }
        boolean proxied = req.headers().contains("Bulwark-Request-Id") || req.headers().contains("Via");
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Bulwark demo origin</title>
                <style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1b2330}
                table{border-collapse:collapse;width:100%%}td{border-bottom:1px solid #dde3ea;padding:.35rem .5rem;vertical-align:top}
                td:first-child{font-weight:600;white-space:nowrap;width:12rem}code{background:#eef2f6;padding:0 .25rem}
                .badge{display:inline-block;padding:.15rem .6rem;border-radius:1rem;background:%s;color:#fff}</style></head>
                <body><h1>Bulwark demo origin</h1>
                <p><span class="badge">%s</span></p>
                <p>This page is served by the demo origin that <code>bulwark demo</code> puts behind the Bulwark edge.
                The table shows what the origin received; the edge adds the forwarding headers and a request id.</p>
                <table>%s</table>
                <p>Try <code>/echo</code>, <code>/bytes/1048576</code>, <code>/delay/200</code>, <code>/status/503</code>.</p>
                </body></html>
                """.formatted(proxied ? "#1f7a4d" : "#a33", proxied ? "reached through Bulwark" : "reached directly, not through Bulwark", rows);
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("<tr><td>").append(escape(name)).append("</td><td>").append(escape(value)).append("</td></tr>");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
