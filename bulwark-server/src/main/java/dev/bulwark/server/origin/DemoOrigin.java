package dev.bulwark.server.origin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The built-in origin that {@code bulwark demo} protects and that benchmarks proxy to.
 *
 * <p>Design: a plain Netty HTTP/1.1 server with keep-alive, no request aggregation and no
 * per-request allocation beyond Netty's own, so that it is never the bottleneck of a
 * benchmark. Bodies stream in both directions with backpressure ({@code /bytes/N},
 * {@code /upload}), so it can also serve and swallow 1 GiB bodies in a small heap.
 * The endpoints are listed in {@link DemoOriginHandler}.
 */
public final class DemoOrigin implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoOrigin.class);

    private final EventLoopGroup group;
    private final Channel server;
    private final LongAdder received;

    private DemoOrigin(EventLoopGroup group, Channel server, LongAdder received) {
        this.group = group;
        this.server = server;
        this.received = received;
    }

    /** Starts on {@code address} (port 0 picks a free port) with {@code threads} event loops (0: Netty's default). */
    public static DemoOrigin start(InetSocketAddress address, int threads) {
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newGroup(threads);
        LongAdder received = new LongAdder();
        try {
            io.netty.channel.ChannelFuture bound = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            p.addLast("codec", new HttpServerCodec());
                            p.addLast("continue", new HttpServerExpectContinueHandler());
                            p.addLast("keepalive", new HttpServerKeepAliveHandler());
                            p.addLast("chunked", new ChunkedWriteHandler());
                            p.addLast("origin", new DemoOriginHandler(received));
                        }
                    })
                    .bind(address).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw new IllegalStateException("demo origin cannot listen on " + address.getHostString() + ":" + address.getPort()
                        + ": " + bound.cause().getMessage(), bound.cause());
            }
            Channel ch = bound.channel();
            DemoOrigin origin = new DemoOrigin(group, ch, received);
            log.info("demo origin listening on http://{} ({})", format(origin.address()), transport.name());
            return origin;
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** The endpoint paths, for help texts. */
    public static java.util.List<String> endpoints() { return DemoOriginHandler.endpoints(); }

    /** Requests received so far (also served as {@code GET /stats}), that request excepted. */
    public long requestsReceived() { return received.sum(); }

    public InetSocketAddress address() { return (InetSocketAddress) server.localAddress(); }

    /** {@code http://host:port}, ready to put in an origin pool. */
    public String url() { return "http://" + format(address()); }

    private static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
