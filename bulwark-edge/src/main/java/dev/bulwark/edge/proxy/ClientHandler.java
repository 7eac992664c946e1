package dev.bulwark.edge.proxy;

import dev.bulwark.edge.codec.HeaderDeadline;
import dev.bulwark.edge.codec.Http2GracefulClose;
import dev.bulwark.edge.observe.RequestIds;
import dev.bulwark.edge.tls.SniCertificates;
import dev.bulwark.edge.zone.ZoneTable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The client side of one HTTP/1.1 connection or one HTTP/2 stream: turns decoded messages
 * into {@link ProxyCall}s, one at a time. Pipelined HTTP/1.1 requests wait in a queue until
 * the previous response is complete, and the connection stops reading meanwhile.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {
    /** Fired through every client pipeline when the edge starts draining. */
    public static final Object DRAIN = new Object();

    private final EdgeRuntime rt;
    private final boolean tls;
    private final boolean h2;
    private final ArrayDeque<Object> queued = new ArrayDeque<>(0);
    private Channel channel;
    private HeaderDeadline deadline; // HTTP/1.1 only; looked up once, not per request
    private IdleStateHandler idle;   // HTTP/1.1: reader idle, restarted when a response ends
    private ChannelHandlerContext encoder; // HTTP/1.1: where responses already in wire form enter the pipeline
    private ProxyCall current;
    private CallTimer timer; // made with the first call: every call of this connection shares it
    private ForwardHeaders.Hop hop; // made with the first forwarded request
    private String rawHost, normalizedHost; // the last Host header and its normal form: a connection mostly repeats one
    private boolean replaying;
    private boolean closing;

    public ClientHandler(EdgeRuntime rt, boolean tls, boolean h2) {
        this.rt = rt;
        this.tls = tls;
        this.h2 = h2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (h2) return; // a stream's pipeline holds neither: no lookup per stream
        deadline = ctx.pipeline().get(HeaderDeadline.class);
        idle = ctx.pipeline().get(IdleStateHandler.class);
        encoder = ctx.pipeline().context(HttpResponseEncoder.class);
    }

    /**
     * Writes a response already in HTTP/1.1 wire form ({@code ErrorPages.encode}) past the
     * response encoder, which would refuse raw bytes at the start of a message. Only between
     * responses: the encoder is then waiting for a message head, as it will after these bytes.
     */
    void writeEncoded(io.netty.buffer.ByteBuf response) {
        encoder.writeAndFlush(response, encoder.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!queued.isEmpty() || current != null && current.requestComplete()) {
            queued.add(msg); // next pipelined request: served after the current response
            updateAutoRead();
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest req) {
            HttpContent body = null;
            HttpRequest head = req;
            if (msg instanceof FullHttpRequest full) { // HTTP/2 request ended by its HEADERS frame, or aggregated
                head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
                head.setDecoderResult(full.decoderResult());
                body = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
            }
            if (deadline != null) deadline.headReceived();
            boolean hasBody = head.decoderResult().isSuccess() && (h2 ? body == null || body.content().isReadable()
                    : HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0);
            current = new ProxyCall(rt, newContext(head), channel, this, h2, hasBody);
            rt.metrics().inFlight().incrementAndGet();
            current.start();
            if (body != null) {
                if (current != null) current.onClientContent(body);
                else body.release();
            }
        } else if (msg instanceof HttpContent c && current != null) {
            current.onClientContent(c);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private RequestContext newContext(HttpRequest req) {
        EdgeSnapshot snap = rt.snapshot();
        Channel connection = h2 ? channel.parent() : channel;
        InetAddress peer = connection.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        InetAddress client = peer == null ? null : ForwardHeaders.clientAddress(peer, req.headers(), snap);
        String sni = tls ? connection.attr(SniCertificates.SNI_HOST).get() : null;
        String version = h2 ? "HTTP/2" : req.protocolVersion().text();
        String host = host(req.headers().get(HttpHeaderNames.HOST));
        return new RequestContext(RequestIds.next(), snap, req, peer, client, tls, sni, version, host,
                System.nanoTime(), rt.services().clock().currentTimeMillis());
    }

    /**
     * Reads from the client only when the current request wants body data or we wait for the
     * next request, and (HTTP/1.1) takes no new request while the client leaves our previous
     * responses unread: a pipelining client that never reads cannot make the outbound buffer grow.
     */
    CallTimer timer() {
        if (timer == null) timer = new CallTimer(channel.eventLoop(), System::nanoTime);
        return timer;
    }

    private String host(String raw) {
        if (raw == null || !raw.equals(rawHost)) {
            normalizedHost = ZoneTable.normalizeHost(raw);
            rawHost = raw;
        }
        return normalizedHost;
    }

    /** This connection's forwarding header parts, formatted once for its peer. */
    ForwardHeaders.Hop hop(InetAddress peer) {
        if (hop == null || !hop.isFor(peer)) hop = new ForwardHeaders.Hop(peer, tls);
        return hop;
    }

    void updateAutoRead() {
        boolean read = !closing && queued.isEmpty() && (current == null ? h2 || channel.isWritable() : current.wantsClientData());
        if (current != null) current.clientReading(read);
        if (channel.config().isAutoRead() != read) channel.config().setAutoRead(read);
    }

    void callFinished(ProxyCall call, boolean closeConnection) {
        if (call != current) return;
        current = null;
        rt.metrics().inFlight().decrementAndGet();
        if (h2) { // the stream ends with the response
            if (call.context().closesConnection()) Http2GracefulClose.close(channel.parent()); // GOAWAY; open streams finish
            return;
        }
        if (closeConnection || rt.draining()) {
            closing = true;
            releaseQueued();
            channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (deadline != null) deadline.awaitNext();
        if (idle != null) idle.resetReadTimeout(); // a long response was no idleness: the keep-alive wait starts now
        serveQueued();
        updateAutoRead();
    }

    /** Dispatches queued pipelined requests, one at a time; a new one only while the client reads our answers. */
    private void serveQueued() {
        if (replaying) return;
        replaying = true;
        try {
            while (!queued.isEmpty() && !closing) {
                if (current == null ? !channel.isWritable() : current.requestComplete()) break;
                dispatch(queued.poll());
            }
        } finally {
            replaying = false;
        }
        if (current != null) current.clientReadComplete(); // dispatched outside a client read: no read end will arm its body deadline
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (current != null) current.clientReadComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.onClientWritabilityChanged();
        } else if (!h2 && channel.isWritable()) { // the client caught up: the next pipelined request may go
            serveQueued();
            updateAutoRead();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseQueued();
        if (current != null) current.onClientClosed();
        if (timer != null) timer.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            if (current == null) ctx.close(); // idle keep-alive connection; busy ones close after their response
            return;
        }
        if (evt instanceof IdleStateEvent) {
            // idle between requests, or a client that stopped sending its request body; a request
            // waiting for a slow origin is governed by the zone's timeouts instead
            if (current == null || !current.requestComplete()) ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void releaseQueued() {
        Object o;
        while ((o = queued.poll()) != null) ReferenceCountUtil.release(o);
    }
}
