package dev.bulwark.edge.proxy;

import dev.bulwark.edge.observe.RequestIds;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The pages the edge answers with itself: branded HTML, or JSON when the client prefers it.
 * Each shows the status, a plain explanation, the request id and the time; never an internal
 * address or exception text. Edge answers also carry the security headers.
 */
public final class ErrorPages {
    private ErrorPages() {}

    /** The short explanation shown for a status when the phase gave none. */
    public static String explain(int status) {
        return switch (status) {
            case 400 -> "The request was malformed and was not forwarded.";
            case 404 -> "This address is not served here: no site is configured for this host name.";
            case 408 -> "The request took too long to arrive.";
            case 413 -> "The request body is larger than this site accepts.";
            case 414 -> "The request line is too long.";
            case 421 -> "This connection was set up for a different site; open a new connection to this host name.";
            case 431 -> "The request headers are too large.";
            case 502 -> "The site's origin server could not be reached or did not answer properly.";
            case 503 -> "The site is temporarily unavailable. Please try again shortly.";
            case 504 -> "The site's origin server took too long to answer.";
            default -> "The request could not be completed.";
        };
    }

    public static FullHttpResponse render(ByteBufAllocator alloc, int status, String reason, String requestId,
                                          long epochMillis, String accept, boolean head) {
        HttpResponseStatus st = HttpResponseStatus.valueOf(status);
        String explanation = reason == null ? explain(status) : reason;
        String time = Instant.ofEpochMilli(epochMillis).toString();
        boolean json = prefersJson(accept);
        String body = json ? json(st, explanation, requestId, time) : html(st, explanation, requestId, time);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = head ? alloc.buffer(0) : alloc.buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, st, content);
        HttpHeaders h = res.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, json ? "application/json; charset=utf-8" : "text/html; charset=utf-8");
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        SecurityHeaders.addTo(h);
        h.set(RequestIds.HEADER, requestId);
        return res;
    }

    /** True when Accept ranks application/json above text/html (or names only JSON). */
    static boolean prefersJson(String accept) {
        if (accept == null) return false;
        int json = accept.indexOf("application/json");
        if (json < 0) return false;
        int html = accept.indexOf("text/html");
        return html < 0 || json < html;
    }

    private static String json(HttpResponseStatus st, String explanation, String requestId, String time) {
        return "{\"status\":" + st.code() + ",\"error\":\"" + escapeJson(st.reasonPhrase()) + "\",\"message\":\""
                + escapeJson(explanation) + "\",\"request_id\":\"" + requestId + "\",\"time\":\"" + time + "\"}\n";
    }

    private static String html(HttpResponseStatus st, String explanation, String requestId, String time) {
        String title = st.code() + " " + escapeHtml(st.reasonPhrase());
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + title + "</title>"
                + "<style>body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0}"
                + "main{max-width:40rem;margin:12vh auto;padding:2rem;background:#fff;border-radius:8px;"
                + "box-shadow:0 1px 4px rgba(0,0,0,.08)}h1{margin:0 0 .5rem;font-size:1.6rem}"
                + ".meta{color:#667;font-size:.85rem;margin-top:1.5rem}.brand{color:#2b59c3;font-weight:600}</style>"
                + "</head><body><main><h1>" + title + "</h1><p>" + escapeHtml(explanation) + "</p>"
                + "<p class=\"meta\">Request id <code>" + requestId + "</code> &middot; " + time
                + " &middot; <span class=\"brand\">Bulwark</span></p></main></body></html>\n";
    }

    private static String escapeJson(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(' ');
            else sb.append(c);
        }
        return sb.toString();
    }

    private static String escapeHtml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
