package dev.bulwark.edge.proxy;

import dev.bulwark.edge.observe.EdgeMetrics;
import dev.bulwark.edge.transport.Transport;
import dev.bulwark.edge.upstream.Origin;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive connections to origins, pooled per origin AND per event loop: a request's
 * upstream channel is opened on (or taken from) the client channel's own event loop, so
 * both sides of a proxied request run on one thread with no hand-off and no lock. The idle
 * lists are thread-confined (a FastThreadLocal per loop); only the gauges are shared.
 */
public final class OriginConnections {
    static final AttributeKey<Origin> ORIGIN = AttributeKey.valueOf("bulwark.origin");

    private final EdgeMetrics metrics;
    private final Bootstrap template;
    private final SslContext tls;
    private final FastThreadLocal<Map<String, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override protected Map<String, ArrayDeque<Channel>> initialValue() { return new HashMap<>(); }
    };

    public OriginConnections(Transport transport, EdgeMetrics metrics) {
        this.metrics = metrics;
        this.tls = clientTls();
        this.template = new Bootstrap()
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Origin o = ch.attr(ORIGIN).get();
                        ch.closeFuture().addListener(f -> forget(ch, o)); // once per connection, not per reuse
                        // no FlushConsolidationHandler: a pooled connection carries one exchange at a
                        // time, so there is never a second flush to merge, only a deferred task per request
                        if (o.tls()) ch.pipeline().addLast(tls.newHandler(ch.alloc(), o.host(), o.port()));
                        ch.pipeline().addLast(new HttpClientCodec(8192, 64 * 1024, 64 * 1024, false, false));
                        ch.pipeline().addLast(new UpstreamHandler());
                    }
                });
    }

    /** A pooled open connection to {@code origin} on this event loop, or null. Call on {@code loop}. */
    Channel pollIdle(EventLoop loop, Origin origin) {
        ArrayDeque<Channel> q = idle.get().get(poolKey(origin));
        if (q == null) return null;
        Channel ch;
        while ((ch = q.pollLast()) != null) { // most recently used first: least likely to be timed out by the origin
            metrics.upstreamIdle().decrementAndGet();
            if (ch.isActive()) return ch;
        }
        return null;
    }

    /** Opens a new connection on {@code loop}. */
    ChannelFuture connect(EventLoop loop, Origin origin, InetSocketAddress target, int connectTimeoutMillis) {
        return template.clone(loop)
                .attr(ORIGIN, origin)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .connect(target);
    }

    /** Returns a connection whose exchange ended cleanly; closes it when the origin's list is full. */
    void release(Channel ch, Origin origin, int maxIdle) {
        if (!ch.isActive()) return;
        Map<String, ArrayDeque<Channel>> lists = idle.get();
        ArrayDeque<Channel> q = lists.computeIfAbsent(poolKey(origin), k -> new ArrayDeque<>());
        if (q.size() >= maxIdle) {
            ch.close();
            return;
        }
        q.addLast(ch);
        metrics.upstreamIdle().incrementAndGet();
    }

    /** The connection closed (by the origin, or by us): drop it from the idle list if it waits there. Runs on its loop. */
    private void forget(Channel ch, Origin origin) {
        if (!ch.eventLoop().inEventLoop()) { // the idle lists are confined to the channel's loop
            ch.eventLoop().execute(() -> forget(ch, origin));
            return;
        }
        ArrayDeque<Channel> q = idle.get().get(poolKey(origin));
        if (q != null && q.remove(ch)) metrics.upstreamIdle().decrementAndGet();
    }

    /** One idle list per origin address and scheme. */
    private static String poolKey(Origin o) { return o.poolKey(); }

    /** The client TLS context used for origin connections (also by the health checker, so both trust the same). */
    public SslContext tls() { return tls; }

    private static SslContext clientTls() {
        try {
            // hostname verification is on by default for Netty 4.2 clients
            return SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the upstream TLS context", e);
        }
    }
}
