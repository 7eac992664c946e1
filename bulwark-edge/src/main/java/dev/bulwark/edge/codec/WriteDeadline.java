package dev.bulwark.edge.codec;

import dev.bulwark.edge.observe.EdgeMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Slow-read defence: a client that leaves our responses unread is closed once its channel has
 * stayed unwritable (more than {@code max_outbound_buffer} waiting for it) for
 * {@code write_timeout}. On an HTTP/1.1 connection or an HTTP/2 connection that is the TCP
 * connection; on an HTTP/2 stream it is the stream, whose flow-control window the client keeps
 * shut (the stream is reset, the connection's other streams go on). Meanwhile the origin is not
 * read ({@code ProxyCall}'s backpressure), so what waits stays bounded.
 *
 * <p>One timer at most, never cancelled: writability can flip many times a second during a
 * fast download, and each flip only records a time; the timer re-checks when it fires.
 */
public final class WriteDeadline extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private final EdgeMetrics metrics;
    private long unwritableSince;
    private ScheduledFuture<?> timer;

    public WriteDeadline(Duration timeout, EdgeMetrics metrics) {
        this.timeoutNanos = timeout.toNanos();
        this.metrics = metrics;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            unwritableSince = now(ctx);
            if (timer == null) schedule(ctx, timeoutNanos);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive() || ctx.channel().isWritable()) return;
        long left = timeoutNanos - (now(ctx) - unwritableSince);
        if (left > 0) {
            schedule(ctx, left);
            return;
        }
        metrics.slowClient("write_timeout");
        ctx.close();
    }

    /** The clock the timer runs on (an EmbeddedChannel's is moved by the test). */
    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor() instanceof AbstractScheduledEventExecutor e ? e.ticker().nanoTime() : System.nanoTime();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }
}
