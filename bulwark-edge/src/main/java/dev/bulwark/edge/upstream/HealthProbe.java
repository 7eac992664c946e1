package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.HealthCheckConfig;
import dev.bulwark.core.time.Clock;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One active health probe: connect, {@code GET path} over HTTP/1.1 with {@code Connection: close}, and judge
 * the status line. Non-blocking and bounded: one deadline ({@code timeout}) covers connect, TLS handshake and
 * the response head; the body is never read. Everything but a DNS lookup runs on the given event loop, so
 * the result is reported exactly once without locks.
 */
final class HealthProbe extends SimpleChannelInboundHandler<HttpObject> {
    static final String USER_AGENT = "Bulwark-HealthCheck/1";

    private final Origin origin;
    private final HealthCheckConfig cfg;
    private final Clock clock;
    private final long startNanos;
    private final Consumer<ProbeResult> done;
    private boolean finished;
    private ScheduledFuture<?> deadline;
    private Channel channel;

    private HealthProbe(Origin origin, HealthCheckConfig cfg, Clock clock, Consumer<ProbeResult> done) {
        super(HttpObject.class);
        this.origin = origin;
        this.cfg = cfg;
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        this.done = done;
    }

    /** Starts a probe of {@code origin} on {@code loop}; {@code done} runs once on that loop. */
    static void start(EventLoop loop, Class<? extends Channel> channelType, SslContext ssl, Origin origin,
                      HealthCheckConfig cfg, Clock clock, Consumer<ProbeResult> done) {
        HealthProbe probe = new HealthProbe(origin, cfg, clock, done);
        long timeoutMillis = Math.max(1, cfg.timeout().toMillis());
        probe.deadline = loop.schedule(() -> probe.finish(false, 0, "timed out after " + timeoutMillis + " ms"),
                timeoutMillis, TimeUnit.MILLISECONDS);
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(origin.host());
        if (literal != null) {
            try {
                probe.connect(loop, channelType, ssl, InetAddress.getByAddress(origin.host(), literal), timeoutMillis);
            } catch (UnknownHostException e) {
                probe.finish(false, 0, "invalid address " + origin.host());
            }
            return;
        }
        // A name lookup may block for seconds; it runs on a virtual thread so the event loop never waits.
        Thread.ofVirtual().name("bulwark-health-dns").start(() -> {
            InetAddress address;
            try {
                address = InetAddress.getByName(origin.host());
            } catch (UnknownHostException | SecurityException e) {
                loop.execute(() -> probe.finish(false, 0, "cannot resolve " + origin.host()));
                return;
            }
            loop.execute(() -> probe.connect(loop, channelType, ssl, address, timeoutMillis));
        });
    }

    private void connect(EventLoop loop, Class<? extends Channel> channelType, SslContext ssl, InetAddress address,
                         long timeoutMillis) {
        if (finished) return; // timed out while resolving
        HealthProbe probe = this;
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (origin.tls()) {
                            p.addLast("tls", ssl.newHandler(ch.alloc(), sniHost(origin, cfg), origin.port()));
                        }
                        p.addLast("http", new HttpClientCodec());
                        p.addLast("probe", probe);
                    }
                });
        ChannelFuture f = b.connect(new InetSocketAddress(address, origin.port()));
        channel = f.channel();
        if (finished) {
            channel.close();
            return;
        }
        f.addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) finish(false, 0, "connect failed: " + describe(cf.cause()));
        });
    }

    /** The TLS server name: the configured Host without its port, else the origin's name; none for an address. */
    static String sniHost(Origin origin, HealthCheckConfig cfg) {
        String h = origin.host();
        if (cfg.host() != null && !cfg.host().isBlank()) {
            h = cfg.host();
            if (h.startsWith("[")) return null; // an IPv6 address
            int colon = h.indexOf(':');
            if (colon >= 0) h = h.substring(0, colon);
        }
        return NetUtil.isValidIpV4Address(h) || NetUtil.isValidIpV6Address(h) ? null : h;
    }

    /** The Host header: the configured one, else the origin's host with its port when not the default. */
    static String hostHeader(Origin origin, HealthCheckConfig cfg) {
        if (cfg.host() != null && !cfg.host().isBlank()) return cfg.host();
        boolean defaultPort = origin.port() == (origin.tls() ? 443 : 80);
        String h = origin.host().indexOf(':') >= 0 ? "[" + origin.host() + "]" : origin.host();
        return defaultPort ? h : h + ":" + origin.port();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, cfg.path());
        req.headers()
                .set(HttpHeaderNames.HOST, hostHeader(origin, cfg))
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.ACCEPT, "*/*")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // With TLS the SslHandler holds this write until the handshake is done.
        ctx.writeAndFlush(req).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                boolean handshake = hasCause(f.cause(), SSLException.class);
                finish(false, 0, (handshake ? "TLS handshake failed: " : "request write failed: ") + describe(f.cause()));
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpResponse r) {
            int status = r.status().code();
            if (status >= 100 && status < 200 && status != 101 && !r.decoderResult().isFailure()) {
                return; // an interim response (100 Continue, 103 Early Hints): the final one follows
            }
            if (r.decoderResult().isFailure()) {
                finish(false, 0, "malformed response: " + describe(r.decoderResult().cause()));
            } else if (status >= cfg.expectStatusMin() && status <= cfg.expectStatusMax()) {
                finish(true, status, null);
            } else {
                finish(false, status, "status " + status + " outside " + cfg.expectStatusMin() + ".." + cfg.expectStatusMax());
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(false, 0, "connection closed before a response");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean handshake = hasCause(cause, SSLException.class);
        finish(false, 0, (handshake ? "TLS handshake failed: " : "") + describe(cause));
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) if (type.isInstance(t)) return true;
        return false;
    }

    private void finish(boolean success, int status, String reason) {
        if (finished) return;
        finished = true;
        if (deadline != null) deadline.cancel(false);
        if (channel != null) channel.close();
        long took = clock.nanoTime() - startNanos;
        done.accept(success ? ProbeResult.ok(status, took) : ProbeResult.failed(status, reason, took));
    }

    private static String describe(Throwable t) {
        if (t == null) return "unknown error";
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
