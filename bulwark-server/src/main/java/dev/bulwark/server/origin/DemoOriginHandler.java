package dev.bulwark.server.origin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo origin's endpoints, one connection per instance:
 * <pre>
 * GET  /             HTML page showing what the edge added (X-Forwarded-*, Forwarded, Via, Bulwark-Request-Id)
 * GET  /healthz      "ok"
 * GET  /1k           1 KiB text body (benchmarks)
 * GET  /bytes/N      N bytes, chunked, written only as fast as the client reads
 * POST /upload       consumes a streamed body; answers {"bytes":N,"sha256":"..."}
 * ANY  /echo         the request as JSON: method, uri, headers, body (first 1 MiB)
 * GET  /delay/MS     answers after MS milliseconds (at most 60000)
 * GET  /status/CODE  answers with that status (200..599)
 * GET  /stats        {"requests":N}: requests this origin received, this one excepted (the attack lab
 *                    reads it to tell how many requests got past the edge)
 * </pre>
 * A request body is consumed by the {@link BodySink} its route chose; routes without a
 * body use of it discard it, so keep-alive stays in sync.
 */
final class DemoOriginHandler extends ChannelInboundHandlerAdapter {
    static final long MAX_DELAY_MS = 60_000;
    static final int ECHO_BODY_LIMIT = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AsciiString TEXT = AsciiString.cached("text/plain; charset=utf-8");
    private static final AsciiString HTML = AsciiString.cached("text/html; charset=utf-8");
    private static final AsciiString JSON_TYPE = AsciiString.cached("application/json");
    private static final AsciiString SERVER = AsciiString.cached("bulwark-demo-origin");
    private static final ByteBuf ONE_K = shared(oneKibibyte());
    private static final ByteBuf OK = shared("ok\n".getBytes(StandardCharsets.US_ASCII));

    /** Consumes the body of the current request and answers when it ends. */
    private interface BodySink {
        void accept(ByteBuf content);

        void finish(ChannelHandlerContext ctx);
    }

    private final LongAdder received;
    private BodySink sink;
    /** Set while a delayed response is pending: later pipelined requests wait in {@link #queued}. */
    private boolean waiting;
    private final java.util.ArrayDeque<Object> queued = new java.util.ArrayDeque<>();

    /** {@code received} counts the requests of every connection of one origin. */
    DemoOriginHandler(LongAdder received) {
        this.received = received;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waiting) {
            queued.add(msg);
            return;
        }
        try {
            if (msg instanceof HttpRequest req) {
                if (req.decoderResult().isFailure()) {
                    sink = null;
                    FullHttpResponse bad = text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
                    bad.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                sink = route(ctx, req);
            }
            if (msg instanceof HttpContent content && sink != null) {
                sink.accept(content.content());
                if (content instanceof LastHttpContent) {
                    BodySink done = sink;
                    sink = null;
                    done.finish(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private BodySink route(ChannelHandlerContext ctx, HttpRequest req) {
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        boolean head = req.method().equals(HttpMethod.HEAD);
        if (path.equals("/stats")) {
            return answer(json(HttpResponseStatus.OK, JSON.createObjectNode().put("requests", received.sum())), head);
        }
        received.increment();
        try {
            if (path.equals("/1k")) return answer(fixed(ONE_K, TEXT), head);
            if (path.equals("/healthz")) return answer(fixed(OK, TEXT), head);
            if (path.equals("/")) return answer(html(HttpResponseStatus.OK, HomePage.render(req, ctx.channel().remoteAddress())), head);
            if (path.equals("/upload")) return new UploadSink();
            if (path.equals("/echo")) return new EchoSink(req, String.valueOf(ctx.channel().remoteAddress()));
            if (path.startsWith("/bytes/")) return stream(req, Long.parseLong(path.substring(7)), head);
            if (path.startsWith("/delay/")) return delayed(Long.parseLong(path.substring(7)));
            if (path.startsWith("/status/")) return status(Integer.parseInt(path.substring(8)), head);
            return answer(text(HttpResponseStatus.NOT_FOUND, "not found: " + path + "\n"), head);
        } catch (NumberFormatException e) {
            return answer(text(HttpResponseStatus.BAD_REQUEST, "expected a number in " + path + "\n"), head);
        }
    }

    private static BodySink answer(FullHttpResponse response, boolean head) {
        if (head) response.content().clear(); // keep Content-Length, send no body
        return new BodySink() {
            @Override public void accept(ByteBuf content) { }

            @Override public void finish(ChannelHandlerContext ctx) { ctx.writeAndFlush(response); }
        };
    }

    private static BodySink stream(HttpRequest req, long length, boolean head) {
        if (length < 0) return answer(text(HttpResponseStatus.BAD_REQUEST, "length must be >= 0\n"), head);
        return new BodySink() {
            @Override public void accept(ByteBuf content) { }

            @Override
            public void finish(ChannelHandlerContext ctx) {
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                        .set(HttpHeaderNames.SERVER, SERVER);
                if (head) {
                    HttpUtil.setContentLength(r, length);
                    ctx.write(r);
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    return;
                }
                HttpUtil.setTransferEncodingChunked(r, true);
                ctx.write(r);
                ctx.writeAndFlush(new HttpChunkedInput(new RepeatedBytes(length)));
            }
        };
    }

    private BodySink delayed(long ms) {
        if (ms < 0 || ms > MAX_DELAY_MS) {
            return answer(text(HttpResponseStatus.BAD_REQUEST, "delay must be 0.." + MAX_DELAY_MS + " ms\n"), false);
        }
        return new BodySink() {
            @Override public void accept(ByteBuf content) { }

            @Override
            public void finish(ChannelHandlerContext ctx) {
                // hold back pipelined requests so they cannot be answered before this one
                waiting = true;
                ctx.channel().config().setAutoRead(false);
                ctx.executor().schedule(() -> {
                    ctx.writeAndFlush(text(HttpResponseStatus.OK, "delayed " + ms + " ms\n"));
                    waiting = false;
                    while (!waiting && !queued.isEmpty()) channelRead(ctx, queued.poll());
                    if (!waiting) ctx.channel().config().setAutoRead(true);
                }, ms, TimeUnit.MILLISECONDS);
            }
        };
    }

    private static BodySink status(int code, boolean head) {
        if (code < 200 || code > 599) return answer(text(HttpResponseStatus.BAD_REQUEST, "status must be 200..599\n"), head);
        HttpResponseStatus s = HttpResponseStatus.valueOf(code);
        if (code == 204 || code == 304) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, Unpooled.EMPTY_BUFFER);
            r.headers().set(HttpHeaderNames.SERVER, SERVER);
            if (code == 304) HttpUtil.setContentLength(r, 0);
            return answer(r, false);
        }
        return answer(text(s, "status " + code + "\n"), head);
    }

    /** Counts and hashes a streamed body without keeping it. */
    private static final class UploadSink implements BodySink {
        private final MessageDigest sha256 = sha256();
        private long bytes;

        @Override
        public void accept(ByteBuf content) {
            int n = content.readableBytes();
            bytes += n;
            if (content.nioBufferCount() == 1) {
                sha256.update(content.nioBuffer());
            } else {
                sha256.update(ByteBufUtil.getBytes(content));
            }
        }

        @Override
        public void finish(ChannelHandlerContext ctx) {
            ObjectNode o = JSON.createObjectNode().put("bytes", bytes).put("sha256", HexFormat.of().formatHex(sha256.digest()));
            ctx.writeAndFlush(json(HttpResponseStatus.OK, o));
        }
    }

    /** Keeps the first {@link #ECHO_BODY_LIMIT} bytes of the body and answers the request as JSON. */
    private static final class EchoSink implements BodySink {
        private final ObjectNode echo = JSON.createObjectNode();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private long bytes;

        EchoSink(HttpRequest req, String remote) {
            echo.put("method", req.method().name()).put("uri", req.uri())
                    .put("protocol", req.protocolVersion().text()).put("remote", remote);
            ObjectNode headers = echo.putObject("headers");
            for (Map.Entry<String, String> h : req.headers()) {
                String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
                (headers.has(name) ? (com.fasterxml.jackson.databind.node.ArrayNode) headers.get(name) : headers.putArray(name))
                        .add(h.getValue());
            }
        }

        @Override
        public void accept(ByteBuf content) {
            int n = content.readableBytes();
            bytes += n;
            int keep = (int) Math.max(0, Math.min(n, ECHO_BODY_LIMIT - body.size()));
            if (keep > 0) {
                byte[] chunk = new byte[keep];
                content.getBytes(content.readerIndex(), chunk);
                body.writeBytes(chunk);
            }
        }

        @Override
        public void finish(ChannelHandlerContext ctx) {
            echo.put("body_bytes", bytes).put("body_truncated", bytes > body.size())
                    .put("body", body.toString(StandardCharsets.UTF_8));
            ctx.writeAndFlush(json(HttpResponseStatus.OK, echo));
        }
    }

    private static FullHttpResponse fixed(ByteBuf shared, AsciiString type) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, shared.duplicate());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.SERVER, SERVER)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, shared.readableBytes());
        return r;
    }

    static FullHttpResponse text(HttpResponseStatus status, String body) {
        return full(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse html(HttpResponseStatus status, String body) {
        return full(status, HTML, body.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object value) {
        try {
            return full(status, JSON_TYPE, JSON.writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FullHttpResponse full(HttpResponseStatus status, AsciiString type, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.SERVER, SERVER)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    private static ByteBuf shared(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }

    private static byte[] oneKibibyte() {
        byte[] b = new byte[1024];
        byte[] line = "Bulwark demo origin: one kibibyte of text for benchmarks.\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length; i++) b[i] = line[i % line.length];
        b[b.length - 1] = '\n';
        return b;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sink = null;
        waiting = false;
        for (Object m; (m = queued.poll()) != null; ) ReferenceCountUtil.release(m);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the peer is normal for an origin; nothing to answer
    }

    static List<String> endpoints() {
        return List.of("/", "/healthz", "/1k", "/bytes/N", "/upload", "/echo", "/delay/MS", "/status/CODE", "/stats");
    }
}
