package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Slow-client (slowloris) guard: once the first byte of a request head arrives, the whole head
 * must arrive within {@code header_timeout}, or the connection is closed. It sits in front of
 * the HTTP/1.1 decoder; the client handler says when a head was decoded and when the next one
 * is awaited.
 */
public final class HeaderDeadline extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private boolean awaiting = true;
    private ScheduledFuture<?> timer;

    public HeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaiting && timer == null && msg instanceof ByteBuf b && b.isReadable()) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** A complete head was decoded: stop the clock. */
    public void headReceived() {
        awaiting = false;
        cancel();
    }

    /** The previous exchange ended: the next head's clock starts with its first byte. */
    public void awaitNext() {
        awaiting = true;
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
