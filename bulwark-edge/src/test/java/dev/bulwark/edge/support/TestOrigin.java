package dev.bulwark.edge.support;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 origin on 127.0.0.1:0 for tests. Paths:
 * {@code /hello} (200 "hello"), {@code /headers} (the request headers, one per line),
 * {@code /upload} (counts the body, answers the count; with {@code ?pause=ms} it first stops reading
 * the body for that long, a slow origin), {@code /download?bytes=N} (N bytes,
 * chunked, written only while the connection is writable), {@code /slow?ms=N}, {@code /reset}
 * (closes without answering), anything else 200 with the path. Records every request head.
 */
public final class TestOrigin implements AutoCloseable {
    public record Seen(String method, String uri, Map<String, List<String>> headers) {
        public String header(String name) {
            for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            return null;
        }
    }

    private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(Unpooled.directBuffer(64 * 1024).writeZero(64 * 1024));
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    public final ConcurrentLinkedQueue<Seen> requests = new ConcurrentLinkedQueue<>();
    public final AtomicInteger connections = new AtomicInteger();

    public TestOrigin() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    public int port() { return ((InetSocketAddress) server.localAddress()).getPort(); }

    public String url() { return "http://127.0.0.1:" + port(); }

    public int count() { return requests.size(); }

    public Seen last() {
        Seen s = null;
        for (Seen r : requests) s = r;
        return s;
    }

    @Override
    public void close() {
        if (group.isShuttingDown()) return;
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest req;
        private long bodyBytes;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest r) {
                req = r;
                bodyBytes = 0;
                Map<String, List<String>> h = new java.util.LinkedHashMap<>();
                for (String name : r.headers().names()) h.put(name, r.headers().getAll(name));
                requests.add(new Seen(r.method().name(), r.uri(), h));
                QueryStringDecoder q = new QueryStringDecoder(r.uri());
                if (q.path().equals("/upload") && q.parameters().containsKey("pause")) {
                    ctx.channel().config().setAutoRead(false);
                    ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true),
                            Long.parseLong(q.parameters().get("pause").get(0)), TimeUnit.MILLISECONDS);
                }
                if (q.path().equals("/reset")) {
                    ctx.close();
                    req = null;
                }
            }
            if (msg instanceof HttpContent c && req != null) {
                bodyBytes += c.content().readableBytes();
                if (c instanceof LastHttpContent) respond(ctx, req, bodyBytes);
            }
        }

        private void respond(ChannelHandlerContext ctx, HttpRequest r, long body) {
            QueryStringDecoder q = new QueryStringDecoder(r.uri());
            boolean keepAlive = HttpUtil.isKeepAlive(r) && !r.headers().contains("X-Close"); // X-Close: answer, then close
            switch (q.path()) {
                case "/download" -> download(ctx, Long.parseLong(q.parameters().get("bytes").get(0)), keepAlive);
                case "/slow" -> ctx.executor().schedule(() -> text(ctx, "slow", keepAlive),
                        Long.parseLong(q.parameters().get("ms").get(0)), TimeUnit.MILLISECONDS);
                case "/upload" -> text(ctx, Long.toString(body), keepAlive);
                case "/headers" -> {
                    StringBuilder sb = new StringBuilder();
                    r.headers().forEach(e -> sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
                    text(ctx, sb.toString(), keepAlive);
                }
                case "/hello" -> text(ctx, "hello", keepAlive);
                case "/stall" -> { // a response head and one chunk, then silence (an origin stuck mid-body)
                    DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setTransferEncodingChunked(res, true);
                    ctx.write(res);
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("started", StandardCharsets.UTF_8)));
                }
                default -> text(ctx, "path " + q.path(), keepAlive);
            }
        }

        private void text(ChannelHandlerContext ctx, String body, boolean keepAlive) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            res.headers().set("Keep-Alive", "timeout=5");
            if (!keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, "close");
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
        }

        private void download(ChannelHandlerContext ctx, long total, boolean keepAlive) {
            DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            HttpUtil.setTransferEncodingChunked(res, true);
            ctx.write(res);
            ByteBuf chunk = ZEROS;
            new Runnable() {
                long left = total;

                @Override
                public void run() {
                    while (left > 0 && ctx.channel().isWritable()) {
                        int n = (int) Math.min(left, chunk.capacity());
                        left -= n;
                        ctx.write(new DefaultHttpContent(chunk.retainedSlice(0, n)));
                    }
                    if (left == 0) {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                        return;
                    }
                    ctx.flush();
                    if (ctx.channel().isActive()) ctx.executor().schedule(this, 1, TimeUnit.MILLISECONDS);
                }
            }.run();
        }
    }
}
