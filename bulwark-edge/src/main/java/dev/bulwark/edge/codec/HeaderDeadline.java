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
    private boolean started; // the first byte of the awaited head has arrived
    private long firstByteAt;
    private ScheduledFuture<?> timer;

    public HeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaiting && !started && msg instanceof ByteBuf b && b.isReadable()) {
            started = true;
            firstByteAt = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The clock is only scheduled when a read ends with the head still incomplete: a head that
     * arrives in one read (nearly all of them) costs no timer at all.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (awaiting && started && timer == null) {
            long left = timeoutNanos - (System.nanoTime() - firstByteAt);
            timer = ctx.executor().schedule(() -> {
                timer = null;
                ctx.close();
            }, Math.max(0, left), TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelReadComplete();
    }

    /** A complete head was decoded: stop the clock. */
    public void headReceived() {
        awaiting = false;
        started = false;
        cancel();
    }

    /** The previous exchange ended: the next head's clock starts with its first byte. */
    public void awaitNext() {
        awaiting = true;
        started = false;
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
