package dev.bulwark.edge.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A connection must finish its TLS handshake (or, in cleartext, show which HTTP version it
 * speaks) within the header timeout of being accepted, or it is closed. Without it, a client
 * that connects and stays silent would hold the connection forever. Removed from the pipeline
 * as soon as the HTTP codec is installed; the codec's own deadlines take over.
 */
final class HandshakeDeadline extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;

    HandshakeDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            ctx.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) timer.cancel(false);
    }
}
