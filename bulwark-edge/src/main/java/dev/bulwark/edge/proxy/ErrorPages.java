package dev.bulwark.edge.proxy;

import dev.bulwark.edge.codec.HeaderText;
import dev.bulwark.edge.observe.RequestIds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages the edge answers with itself: branded HTML for a client that asks for HTML (a
 * browser), JSON when the client prefers it, and otherwise three lines of plain text (see
 * {@link Format}). Each shows the status, a plain explanation, the request id and the time; never
 * an internal address or exception text. HTML and JSON pages carry all the security headers.
 */
public final class ErrorPages {
    private ErrorPages() {}

    /**
     * Headers of the responses the edge builds itself. Every name and value set on them is a
     * constant of the edge, a value it formatted (request id, length) or one checked where it
     * comes in ({@link #addChecked}), so Netty's validation of each set is skipped: in a profile it
     * was about 8% of the edge's Java time answering a refused request.
     */
    public static final HttpHeadersFactory OWN_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    /** Adds a header a phase gave (Retry-After, Location, Set-Cookie) to an edge response, refusing CR, LF or a bad name. */
    public static void addChecked(HttpHeaders h, String name, String value) {
        if (HttpHeaderValidationUtil.validateToken(name) >= 0 || HttpHeaderValidationUtil.validateValidHeaderValue(value) >= 0) {
            throw new IllegalArgumentException("invalid response header " + name);
        }
        h.add(name, value);
    }

    /** An empty edge response to fill: status, body, and headers in {@link #OWN_HEADERS}. */
    public static FullHttpResponse response(HttpResponseStatus status, ByteBuf content) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content, OWN_HEADERS, DefaultHttpHeadersFactory.trailersFactory());
    }

    /** The short explanation shown for a status when the phase gave none. */
    public static String explain(int status) {
        return switch (status) {
            case 400 -> "The request was malformed and was not forwarded.";
            case 404 -> "This address is not served here: no site is configured for this host name.";
            case 408 -> "The request took too long to arrive.";
            case 413 -> "The request body is larger than this site accepts.";
            case 414 -> "The request line is too long.";
            case 417 -> "The request's Expect header asks for something this server does not do.";
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
        Instance page = Instance.of(status, reason, requestId, epochMillis, accept);
        int length = page.length();
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : page.writeBody(alloc.buffer(length), requestId);
        FullHttpResponse res = response(page.page().status, content);
        HttpHeaders h = res.headers();
        AsciiString[] constant = page.page().constantHeaders;
        for (int i = 0; i < constant.length; i += 2) h.set(constant[i], constant[i + 1]);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        h.set(RequestIds.HEADER_NAME, requestId);
        return res;
    }

    /**
     * The same page as {@link #render}, already in HTTP/1.1 wire form, in one buffer: status line,
     * the page's constant headers (encoded once per page), {@code extra} (what the response
     * phases and the answering phase added: request id, Via, Retry-After, Connection), the length,
     * then the body. A refused request in a flood costs a few copies instead of a header object per
     * line and the encoder's second buffer (about a tenth less CPU per refusal, measured
     * side by side). Only for HTTP/1.1: an HTTP/2 stream takes {@link #render}.
     */
    public static Wire encode(ByteBufAllocator alloc, int status, String reason, String requestId, long epochMillis,
                              String accept, boolean head, HttpHeaders extra) {
        Instance page = Instance.of(status, reason, requestId, epochMillis, accept);
        int length = page.length();
        Page p = page.page();
        ByteBuf out = alloc.buffer(p.statusLine.length + p.encodedHeaders.length + 160 + (head ? 0 : length));
        out.writeBytes(p.statusLine).writeBytes(p.encodedHeaders);
        out.writeBytes(CONTENT_LENGTH_COLON);
        writeDigits(out, length);
        out.writeShort(CRLF);
        // header text in bulk, as the client encoder writes it: writeCharSequence's check per
        // character was about 6% of the Java time of a refusal
        HeaderText.writeHeaders(extra, out);
        out.writeShort(CRLF);
        return head ? new Wire(out, 0) : new Wire(page.writeBody(out, requestId), length);
    }

    private static void writeDigits(ByteBuf out, int n) {
        if (n < 0) throw new IllegalArgumentException("negative length " + n);
        int div = 1;
        while (div <= n / 10) div *= 10;
        for (; div > 0; div /= 10) out.writeByte('0' + n / div % 10);
    }

    /** A response in wire form, and how many of its bytes are body (for the access log's bytes_out). */
    public record Wire(ByteBuf bytes, int bodyLength) {}

    /**
     * A page encoded once, cut where the request id and the time go: answering a flood of
     * refused requests (403, 429) copies three constant byte runs instead of formatting and
     * encoding a kilobyte of HTML each time. Reasons are the phases' constant texts; past
     * {@link #MAX_CACHED} distinct pages the rest are encoded per request, uncached.
     */
    private record Page(HttpResponseStatus status, byte[] beforeId, byte[] beforeTime, byte[] end,
                        AsciiString[] constantHeaders, byte[] statusLine, byte[] encodedHeaders) {
        int length(int idLength, int timeLength) {
            return beforeId.length + idLength + beforeTime.length + timeLength + end.length;
        }

        ByteBuf writeBody(ByteBuf out, String requestId, IsoSecond second, int millis) {
            out.writeBytes(beforeId);
            ByteBufUtil.writeAscii(out, requestId); // 16 hex digits
            out.writeBytes(beforeTime);
            second.writeTime(out, millis);
            return out.writeBytes(end);
        }
    }

    /** A page as one request gets it: its time, and its body length with this request id. */
    private record Instance(Page page, IsoSecond second, int millis, int length) {
        static Instance of(int status, String reason, String requestId, long epochMillis, String accept) {
            Page page = ErrorPages.page(status, reason == null ? explain(status) : reason, Format.of(accept));
            IsoSecond second = IsoSecond.of(epochMillis);
            int millis = (int) Math.floorMod(epochMillis, 1000L);
            return new Instance(page, second, millis, page.length(requestId.length(), second.timeLength(millis)));
        }

        ByteBuf writeBody(ByteBuf out, String requestId) { return page.writeBody(out, requestId, second, millis); }
    }

    private record PageKey(int status, String explanation, Format format) {}

    /**
     * The time as {@link Instant#toString} writes it ({@code 2026-11-23T20:19:05.123Z}, no
     * fraction on a whole second), with the part up to the seconds formatted once per second
     * per event loop rather than through DateTimeFormatter for every refused request.
     */
    private static final class IsoSecond {
        private static final FastThreadLocal<IsoSecond> CURRENT = new FastThreadLocal<>() {
            @Override protected IsoSecond initialValue() { return new IsoSecond(); }
        };
        private long second = Long.MIN_VALUE;
        private String text; // without the final 'Z'

        static IsoSecond of(long epochMillis) {
            IsoSecond s = CURRENT.get();
            long second = Math.floorDiv(epochMillis, 1000L);
            if (s.second != second) {
                String full = Instant.ofEpochSecond(second).toString();
                s.text = full.substring(0, full.length() - 1);
                s.second = second;
            }
            return s;
        }

        int timeLength(int millis) { return text.length() + (millis == 0 ? 1 : 5); }

        void writeTime(ByteBuf out, int millis) {
            ByteBufUtil.writeAscii(out, text);
            if (millis != 0) {
                out.writeByte('.').writeByte('0' + millis / 100).writeByte('0' + millis / 10 % 10).writeByte('0' + millis % 10);
            }
            out.writeByte('Z');
        }
    }

    private static final int MAX_CACHED = 256;
    private static final AsciiString HTML_TYPE = AsciiString.cached("text/html; charset=utf-8");
    private static final AsciiString JSON_TYPE = AsciiString.cached("application/json; charset=utf-8");
    /** The headers every page carries, name then value: its type, no caching, the security headers. */
    private static final AsciiString[] HTML_HEADERS = constantHeaders(HTML_TYPE);
    private static final AsciiString[] JSON_HEADERS = constantHeaders(JSON_TYPE);
    /**
     * Plain text cannot be scripted, and with nosniff no browser renders it as anything else;
     * framing or referrer policy would protect nothing, so a text page carries only nosniff.
     */
    private static final AsciiString[] TEXT_HEADERS = {HttpHeaderNames.CONTENT_TYPE, AsciiString.cached("text/plain; charset=utf-8"),
            HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE, SecurityHeaders.CONTENT_TYPE_OPTIONS, SecurityHeaders.NOSNIFF};
    private static final byte[] CONTENT_LENGTH_COLON = "content-length: ".getBytes(StandardCharsets.US_ASCII);
    private static final short CRLF = ('\r' << 8) | '\n';

    private static AsciiString[] constantHeaders(AsciiString type) {
        List<AsciiString> h = new ArrayList<>(List.of(HttpHeaderNames.CONTENT_TYPE, type, HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE));
        h.addAll(SecurityHeaders.ALL);
        return h.toArray(AsciiString[]::new);
    }
    private static final String ID_MARK = "\u0000id\u0000";
    private static final String TIME_MARK = "\u0000time\u0000";
    private static final Map<PageKey, Page> pages = new ConcurrentHashMap<>();

    private static Page page(int status, String explanation, Format format) {
        PageKey key = new PageKey(status, explanation, format);
        Page p = pages.get(key);
        if (p != null) return p;
        p = encode(key);
        if (pages.size() < MAX_CACHED) pages.putIfAbsent(key, p);
        return p;
    }

    private static Page encode(PageKey k) {
        HttpResponseStatus st = HttpResponseStatus.valueOf(k.status());
        String text = switch (k.format()) {
            case HTML -> html(st, k.explanation(), ID_MARK, TIME_MARK);
            case JSON -> json(st, k.explanation(), ID_MARK, TIME_MARK);
            case TEXT -> text(st, k.explanation(), ID_MARK, TIME_MARK);
        };
        int id = text.indexOf(ID_MARK);
        int time = text.indexOf(TIME_MARK, id);
        AsciiString[] headers = switch (k.format()) {
            case HTML -> HTML_HEADERS;
            case JSON -> JSON_HEADERS;
            case TEXT -> TEXT_HEADERS;
        };
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < headers.length; i += 2) wire.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        return new Page(st, text.substring(0, id).getBytes(StandardCharsets.UTF_8),
                text.substring(id + ID_MARK.length(), time).getBytes(StandardCharsets.UTF_8),
                text.substring(time + TIME_MARK.length()).getBytes(StandardCharsets.UTF_8),
                headers, ("HTTP/1.1 " + st.code() + " " + st.reasonPhrase() + "\r\n").getBytes(StandardCharsets.US_ASCII),
                wire.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The form of a page, from the request's Accept. A browser names text/html and gets the
     * branded page; a client ranking application/json first gets JSON. Anything else (no Accept,
     * {@code *}{@code /*}, an image or script fetch) gets plain text: most floods are scripts that
     * send no Accept, and the branded page would make every refusal about four times as many bytes
     * as the flood's own requests, bytes the edge pays for (and the client must read) on each one.
     */
    enum Format {
        HTML, JSON, TEXT;

        static Format of(String accept) {
            if (accept == null) return TEXT;
            int html = accept.indexOf("text/html");
            int json = accept.indexOf("application/json");
            if (json >= 0 && (html < 0 || json < html)) return JSON;
            return html >= 0 ? HTML : TEXT;
        }
    }

    private static String json(HttpResponseStatus st, String explanation, String requestId, String time) {
        return "{\"status\":" + st.code() + ",\"error\":\"" + escapeJson(st.reasonPhrase()) + "\",\"message\":\""
                + escapeJson(explanation) + "\",\"request_id\":\"" + requestId + "\",\"time\":\"" + time + "\"}\n";
    }

    private static String text(HttpResponseStatus st, String explanation, String requestId, String time) {
        return st.code() + " " + oneLine(st.reasonPhrase()) + "\n" + oneLine(explanation) + "\nRequest id " + requestId + ", " + time + " (Bulwark)\n";
    }

    private static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) sb.append(c < 0x20 ? ' ' : c);
        return sb.toString();
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
