package dev.bulwark.edge.codec;

import dev.bulwark.core.net.Cidr;
import dev.bulwark.edge.proxy.EdgeRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/2 connection's answer to a flood, the same whoever found it: GOAWAY with
 * ENHANCE_YOUR_CALM and close (the codec's own connection-error path), the client address
 * banned in the edge's {@code Blocklist} for {@code edge.guard.ban_duration} (so its next
 * connection is closed at accept), {@code bulwark_http2_abuse_total{kind}} counted, one log line.
 *
 * <p>Netty's limits (RST, empty DATA, small CONTINUATION, queued control frames, resets the
 * client provokes) send their GOAWAY themselves; this listener sees it go out through the
 * connection ({@link #onGoAwaySent}). Our {@link FrameFloodMeter} findings go through the codec
 * as a connection error, so they leave by the same path. A trusted proxy (a load balancer in
 * front of the edge) is never banned: it carries other visitors.
 */
final class Http2AbuseGuard extends Http2ConnectionAdapter {
    private static final Logger log = LoggerFactory.getLogger(Http2AbuseGuard.class);

    private final Channel channel;
    private final EdgeRuntime rt;
    private Http2FrameCodec codec;
    private boolean answered;

    Http2AbuseGuard(Channel channel, EdgeRuntime rt) {
        this.channel = channel;
        this.rt = rt;
    }

    void attach(Http2FrameCodec codec) {
        this.codec = codec;
        codec.connection().addListener(this);
    }

    /** Our meter found a flood: answer it through the codec, as Netty's own limits do. */
    void tripped(FrameFloodMeter.Finding f) {
        punish(f.abuse(), f.detail());
        ChannelHandlerContext cctx = codec == null ? null : channel.pipeline().context(codec);
        if (cctx == null) {
            channel.close();
            return;
        }
        codec.onError(cctx, false, Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM, "%s: %s", f.abuse().label(), f.detail()));
    }

    @Override
    public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
        if (errorCode != Http2Error.ENHANCE_YOUR_CALM.code() || answered) return;
        String text = debugData == null ? "" : debugData.toString(StandardCharsets.UTF_8);
        punish(Http2Abuse.fromNettyMessage(text), text);
    }

    private void punish(Http2Abuse abuse, String detail) {
        if (answered) return;
        answered = true;
        rt.metrics().http2Abuse(abuse.label());
        InetAddress address = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (address == null) return;
        if (rt.snapshot().isTrustedProxy(address)) {
            log.warn("HTTP/2 {} from trusted proxy {} ({}): GOAWAY, not banned", abuse.label(), address.getHostAddress(), detail);
            return;
        }
        Duration ban = rt.snapshot().config().edge().guard().banDuration();
        byte[] bytes = address.getAddress();
        rt.services().blocklist().ban(new Cidr(bytes, bytes.length * 8), ban, "http2 " + abuse.label());
        log.warn("HTTP/2 {} from {} ({}): GOAWAY, address banned for {}", abuse.label(), address.getHostAddress(), detail, ban);
    }
}
