package dev.bulwark.bench.attack;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Slow connections that never finish their request: slowloris (a header line every interval,
 * never the blank line) or a slow POST body (a few bytes every interval of a large declared
 * Content-Length). Measures how long the edge keeps each one open, which must stay under its
 * configured deadline.
 */
final class SlowClient {
    private final Bootstrap bootstrap;
    private final InetSocketAddress target;
    private final String base;
    private final int count;
    private final boolean body;
    private final long intervalNanos;
    private final byte[] head, trickle;
    private final AtomicLongArray openedAt, heldNanos; // heldNanos -1 while open
    private final AtomicInteger answered = new AtomicInteger(), connectFailed = new AtomicInteger();
    private final Channel[] channels;

    SlowClient(Bootstrap bootstrap, InetSocketAddress target, String host, String path, String base, int count,
               String mode, int intervalMs) {
        this.bootstrap = bootstrap;
        this.target = target;
        this.base = base;
        this.count = count;
        this.body = mode.equals("body");
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.head = (body
                ? "POST /upload HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\n"
                : "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: lab-slow\r\n").getBytes(StandardCharsets.US_ASCII);
        this.trickle = (body ? "a=b&" : "X-Slow: 1\r\n").getBytes(StandardCharsets.US_ASCII);
        this.openedAt = new AtomicLongArray(count);
        this.heldNanos = new AtomicLongArray(count);
        this.channels = new Channel[count];
        for (int i = 0; i < count; i++) heldNanos.set(i, -1);
    }

    /** Opens the connections at {@code perSecond}, on the bootstrap's loops. */
    void start(int perSecond) {
        long gap = 1_000_000_000L / perSecond;
        io.netty.channel.EventLoop loop = bootstrap.config().group().next();
        for (int i = 0; i < count; i++) {
            int k = i;
            loop.schedule(() -> open(k), i * gap, TimeUnit.NANOSECONDS);
        }
    }

    private void open(int i) {
        InetSocketAddress local = new InetSocketAddress(LabOptions.address(base, i, 256), 0);
        bootstrap.clone().handler(new Watch(i)).connect(target, local).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) connectFailed.incrementAndGet();
        });
    }

    /** Closes whatever is still open and returns the report line. Call after the run. */
    Report finish() {
        long now = System.nanoTime();
        int open = 0, opened = 0;
        long[] held = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (openedAt.get(i) == 0) continue;
            opened++;
            long h = heldNanos.get(i);
            if (h < 0) {
                open++;
                h = now - openedAt.get(i);
                Channel c = channels[i];
                if (c != null) c.close();
            }
            held[n++] = h;
        }
        long[] sorted = Arrays.copyOf(held, n);
        Arrays.sort(sorted);
        double p50 = n == 0 ? Double.NaN : sorted[n / 2] / 1e9, max = n == 0 ? Double.NaN : sorted[n - 1] / 1e9;
        return new Report(body ? "body" : "headers", count, opened, connectFailed.get(), open, answered.get(), p50, max);
    }

    record Report(String mode, int wanted, int opened, int connectFailed, int stillOpen, int answered, double heldP50, double heldMax) {}

    private final class Watch extends ChannelInboundHandlerAdapter {
        private final int i;
        private ScheduledFuture<?> drip;
        private boolean seen;

        Watch(int i) { this.i = i; }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            openedAt.set(i, System.nanoTime());
            channels[i] = ctx.channel();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(head));
            drip = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(Unpooled.wrappedBuffer(trickle)),
                    intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b && b.isReadable() && !seen) {
                seen = true;
                answered.incrementAndGet(); // e.g. a 408 before the close
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (drip != null) drip.cancel(false);
            long opened = openedAt.get(i);
            if (opened != 0) heldNanos.compareAndSet(i, -1, System.nanoTime() - opened);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
