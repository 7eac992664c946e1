package dev.bulwark.edge.codec;

import dev.bulwark.core.config.HttpLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ByteProcessor;

import java.util.List;

/**
 * HTTP/1.1 request decoder that refuses anything a back-end might read differently
 * (request smuggling). Netty 4.2's decoder already rejects, by itself: Content-Length with
 * Transfer-Encoding, repeated or malformed Content-Length, a Transfer-Encoding whose final
 * coding is not a single {@code chunked}, invalid header names and bytes, bare CR, and bare LF
 * (strict line parsing). This subclass adds what it accepts leniently:
 * <ul>
 *   <li>obs-fold (a header line starting with SP/HT), which Netty silently joins;</li>
 *   <li>zero or several Host headers on HTTP/1.1 (RFC 9112 section 3.2);</li>
 *   <li>Transfer-Encoding on HTTP/1.0, and more headers than {@code max_headers}.</li>
 * </ul>
 * A refused request keeps flowing as an HttpRequest whose decoder result is a failure carrying
 * a {@link BadRequestException} (or Netty's own exception), so one place answers it.
 *
 * <p>obs-fold is found by scanning the head bytes the decoder consumed: it returns as soon
 * as it emits a message head, so the bytes consumed while no body is being read are exactly
 * the request line and header block.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
    private final int maxHeaders;
    private boolean inHead = true;
    private boolean lastWasLf;
    private boolean foldSeen;

    public StrictRequestDecoder(HttpLimits limits) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLineBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024)
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false));
        this.maxHeaders = limits.maxHeaders();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int start = buffer.readerIndex();
        int before = out.size();
        super.decode(ctx, buffer, out);
        if (inHead) scanHead(buffer, start, buffer.readerIndex());
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpRequest req) {
                inHead = false;
                if (req.decoderResult().isSuccess()) check(req);
                foldSeen = false;
            }
            if (o instanceof LastHttpContent) {
                inHead = true;
                lastWasLf = false;
            }
        }
    }

    /** One pass over the head bytes in Netty's unchecked loop (a bounds check per byte showed in profiles). */
    private void scanHead(ByteBuf buf, int from, int to) {
        if (to > from) buf.forEachByte(from, to - from, foldScan);
    }

    private final ByteProcessor foldScan = b -> {
        if (lastWasLf && (b == ' ' || b == '\t')) foldSeen = true;
        lastWasLf = b == '\n';
        return true;
    };

    private void check(HttpRequest req) {
        HttpHeaders h = req.headers();
        String reason = null;
        int status = 400;
        if (foldSeen) {
            reason = "obsolete line folding in a header";
        } else if (h.size() > maxHeaders) {
            status = 431;
            reason = "more than " + maxHeaders + " headers";
        } else if (req.protocolVersion().equals(HttpVersion.HTTP_1_1) && h.getAll(HttpHeaderNames.HOST).size() != 1) {
            reason = "an HTTP/1.1 request needs exactly one Host header";
        } else if (req.protocolVersion().equals(HttpVersion.HTTP_1_0) && h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            reason = "Transfer-Encoding is not allowed in HTTP/1.0";
        }
        if (reason == null) reason = normalizeTarget(req);
        if (reason != null) req.setDecoderResult(DecoderResult.failure(new BadRequestException(status, reason)));
    }

    /**
     * Accepts origin-form ({@code /path?q}), {@code *} for OPTIONS, and absolute-form
     * ({@code http://host/path}), which is rewritten to origin-form with its authority as the
     * Host (RFC 9112 section 3.2.2), so the edge routes by the same host the origin will see.
     * Authority-form (CONNECT), userinfo and control characters are refused. Returns the reason
     * for a refusal, or null.
     */
    static String normalizeTarget(HttpRequest req) {
        String uri = req.uri();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f) return "invalid character in the request target";
        }
        if (!uri.isEmpty() && uri.charAt(0) == '/') return null;
        if (uri.equals("*")) return req.method().equals(HttpMethod.OPTIONS) ? null : "'*' is only valid for OPTIONS";
        boolean http = uri.regionMatches(true, 0, "http://", 0, 7);
        if (!http && !uri.regionMatches(true, 0, "https://", 0, 8)) return "the request target must be a path or an absolute http(s) URL";
        int start = http ? 7 : 8;
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?' && uri.charAt(end) != '#') end++;
        String authority = uri.substring(start, end);
        if (authority.isEmpty() || authority.indexOf('@') >= 0) return "the request target has no valid host";
        String rest = uri.substring(end);
        req.setUri(rest.isEmpty() ? "/" : rest.charAt(0) == '/' ? rest : "/" + rest);
        req.headers().set(HttpHeaderNames.HOST, authority);
        return null;
    }

    /** The status to answer a request whose decoding failed with {@code cause}. */
    public static int statusFor(Throwable cause) {
        if (cause instanceof BadRequestException b) return b.status();
        if (cause instanceof TooLongHttpLineException) return 414;
        if (cause instanceof TooLongHttpHeaderException) return 431;
        if (cause instanceof TooLongFrameException) return 431;
        return 400;
    }
}
