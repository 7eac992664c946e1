package dev.bulwark.edge.codec;

import dev.bulwark.core.config.Http2AbuseLimits;
import dev.bulwark.core.config.HttpLimits;
import dev.bulwark.core.config.ListenerConfig;
import dev.bulwark.edge.observe.RequestIds;
import dev.bulwark.edge.policy.accept.AcceptGuard;
import dev.bulwark.edge.proxy.ClientHandler;
import dev.bulwark.edge.proxy.EdgeRuntime;
import dev.bulwark.edge.tls.SniCertificates;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;

import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of an accepted connection: accept (connection guard, tracking), then tls (SNI and ALPN) on
 * https listeners or h2c prior-knowledge detection on http ones, then the HTTP/1.1 or HTTP/2
 * codec, then the {@link ClientHandler}. Limits come from the snapshot current at accept time.
 * Slow clients: {@link HeaderDeadline} (request head), the body deadline ({@code ProxyCall}
 * with {@link BodyDeadline}), {@link WriteDeadline} and a bounded outbound buffer (slow read);
 * HTTP/2 floods: {@link Http2FrameInspector} and Netty's limits, answered by {@link Http2AbuseGuard}.
 */
public final class ListenerInitializer extends ChannelInitializer<Channel> {
    /** Stateless (Sharable): one for every HTTP/2 stream rather than one allocated per stream. */
    private static final Http2StreamFrameToHttpObjectCodec STREAM_TO_HTTP = new Http2StreamFrameToHttpObjectCodec(true, true);
    private static final AsciiString REQUEST_ID = AsciiString.cached(RequestIds.HEADER.toLowerCase(java.util.Locale.ROOT));

    private final EdgeRuntime rt;
    private final ListenerConfig listener;
    private final ChannelHandler tracker;
    private final AcceptGuard guard;

    public ListenerInitializer(EdgeRuntime rt, ListenerConfig listener, ChannelHandler tracker) {
        this(rt, listener, tracker, null);
    }

    /** With {@code guard} (may be null), refused connections are closed before any handler is added. */
    public ListenerInitializer(EdgeRuntime rt, ListenerConfig listener, ChannelHandler tracker, AcceptGuard guard) {
        this.rt = rt;
        this.listener = listener;
        this.tracker = tracker;
        this.guard = guard;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (guard != null && !guard.admit(ch)) return; // accept: banned or over its caps, closed unread
        ChannelPipeline p = ch.pipeline();
        ch.config().setWriteBufferWaterMark(waterMark(rt.snapshot().config().edge().http()));
        p.addLast(tracker);
        p.addLast(new HandshakeDeadline(rt.snapshot().config().edge().http().headerTimeout()));
        if (listener.protocol() == ListenerConfig.Protocol.HTTPS) {
            p.addLast(new SniHandler(new SniCertificates(listener, () -> rt.snapshot().tls())));
            p.addLast(new Alpn());
        } else {
            p.addLast(new PrefaceDetector(this::http1, this::http2));
        }
    }

    void http1(ChannelPipeline p, boolean tls) {
        p.remove(HandshakeDeadline.class);
        HttpLimits limits = rt.snapshot().config().edge().http();
        // Flushes made while a read is in progress (answers the edge gives to pipelined requests) go
        // out at the end of the read as one; a response coming from the origin is flushed at once:
        // deferring it to a task merges nothing (one response per connection at a time).
        p.addLast(new FlushConsolidationHandler(256, false));
        // Keep-alive idle: reads only, reset by ClientHandler when a response ends. Watching writes
        // too would turn every write's void promise into a real one with a listener.
        p.addLast(new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast(new HeaderDeadline(limits.headerTimeout()));
        p.addLast(new StrictRequestDecoder(limits));
        p.addLast(new HttpResponseEncoder());
        p.addLast(new WriteDeadline(limits.writeTimeout(), rt.metrics()));
        p.addLast(new ClientHandler(rt, tls, false));
    }

    /** The bounded outbound buffer: unwritable above {@code max_outbound_buffer}, writable again below a quarter of it. */
    private static WriteBufferWaterMark waterMark(HttpLimits limits) {
        int high = limits.maxOutboundBuffer();
        return new WriteBufferWaterMark(high / 4, high);
    }

    void http2(ChannelPipeline p, boolean tls) {
        p.remove(HandshakeDeadline.class);
        HttpLimits limits = rt.snapshot().config().edge().http();
        p.addLast(new FlushConsolidationHandler(256, true)); // many streams' frames, one write
        p.addLast(new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        Http2AbuseLimits abuse = limits.h2Abuse();
        // Netty's own flood limits where it has them (rapid reset, empty DATA, small CONTINUATION frames);
        // the FrameFloodMeter counts the rest. Either way the Http2AbuseGuard answers.
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(limits.maxConcurrentStreams())
                        .maxHeaderListSize(limits.maxHeaderBytes()))
                .validateHeaders(true)
                .validateRequiredPseudoHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(abuse.maxResets(), (int) abuse.window().toSeconds())
                .decoderEnforceMaxConsecutiveEmptyDataFrames(abuse.maxEmptyFrames())
                .decoderEnforceMaxSmallContinuationFrames(abuse.maxContinuationFrames())
                .headerSensitivityDetector(ListenerInitializer::neverIndexed)
                .build();
        Http2AbuseGuard guard = new Http2AbuseGuard(p.channel(), rt);
        guard.attach(codec);
        p.addLast(new Http2FrameInspector(new FrameFloodMeter(abuse, limits.maxHeaderBytes(), rt.services().clock()), guard::tripped));
        p.addLast(codec);
        p.addLast(new WriteDeadline(limits.writeTimeout(), rt.metrics()));
        WriteBufferWaterMark streamMark = waterMark(limits);
        p.addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.config().setWriteBufferWaterMark(streamMark);
                stream.pipeline().addLast(STREAM_TO_HTTP);
                stream.pipeline().addLast(new WriteDeadline(limits.writeTimeout(), rt.metrics()));
                stream.pipeline().addLast(new ClientHandler(rt, tls, true));
            }
        }));
        p.addLast(new Http2ConnectionIdle());
    }

    /**
     * HPACK: response headers kept out of the connection's compression table. The request id is
     * new on every response, so indexing it only evicts entries that would have repeated;
     * cookies are never indexed so a shared table cannot leak them (RFC 7541 section 7.1.3).
     */
    static boolean neverIndexed(CharSequence name, CharSequence value) {
        return REQUEST_ID.contentEqualsIgnoreCase(name) || HttpHeaderNames.SET_COOKIE.contentEqualsIgnoreCase(name);
    }

    /** Chooses HTTP/2 or HTTP/1.1 from ALPN, and records the SNI the client asked for. */
    private final class Alpn extends ApplicationProtocolNegotiationHandler {
        Alpn() { super(ApplicationProtocolNames.HTTP_1_1); }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SniCompletionEvent sni && sni.isSuccess() && sni.hostname() != null) {
                ctx.channel().attr(SniCertificates.SNI_HOST).set(sni.hostname().toLowerCase(java.util.Locale.ROOT));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) http2(ctx.pipeline(), true);
            else http1(ctx.pipeline(), true);
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // unknown SNI with no fallback certificate, bad client hello, old protocol version
        }
    }

    /**
     * Last handler of an HTTP/2 connection. Closes one that carried nothing for the idle timeout; on drain, sends
     * GOAWAY so the client opens no new stream while the open ones finish (the edge closes the
     * connection once nothing is in flight).
     */
    private static final class Http2ConnectionIdle extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            if (evt == ClientHandler.DRAIN) {
                ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // an HTTP/2 connection error was answered by the codec already (GOAWAY, close; floods
            // logged once by the Http2AbuseGuard); anything else ends the connection
            if (!(cause instanceof Http2Exception)) ctx.close();
        }
    }
}
