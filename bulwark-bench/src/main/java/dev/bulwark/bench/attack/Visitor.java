package dev.bulwark.bench.attack;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One legitimate user: a request every {@code 1 / rate} seconds on a keep-alive connection
 * (reconnecting when it closes), one at a time. Latency is measured from when the request was
 * due, not from when it could be sent, so a visitor held up behind a slow answer is not
 * flattered (no coordinated omission). A request not answered with a 2xx within the timeout
 * counts as failed. All state lives on one event loop.
 */
final class Visitor {
    /** Due requests queued behind a slow one before the oldest is given up. */
    static final int MAX_BACKLOG = 20;

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final InetSocketAddress target, local;
    private final ByteBuf request;
    private final VisitorTally tally;
    private final long intervalNanos, timeoutNanos, endNanos;
    private final ArrayDeque<Long> due = new ArrayDeque<>();
    private Channel channel;
    private boolean connecting, inFlight;
    private long current;
    private int status;
    private ScheduledFuture<?> ticks;

    Visitor(Bootstrap bootstrap, EventLoop loop, InetSocketAddress target, InetSocketAddress local, ByteBuf request,
            VisitorTally tally, double rate, long timeoutNanos, long endNanos) {
        this.bootstrap = bootstrap.clone().group(loop);
        this.loop = loop;
        this.target = target;
        this.local = local;
        this.request = request;
        this.tally = tally;
        this.intervalNanos = (long) (1e9 / rate);
        this.timeoutNanos = timeoutNanos;
        this.endNanos = endNanos;
    }

    /** Starts after {@code phaseNanos} (spreads the visitors over one interval). */
    void start(long phaseNanos) {
        loop.execute(() -> ticks = loop.scheduleAtFixedRate(this::tick, phaseNanos, intervalNanos, TimeUnit.NANOSECONDS));
    }

    /** Ends the schedule; requests still due or in flight are failed by {@link #expire} or answered. */
    void stop() {
        loop.execute(() -> {
            if (ticks != null) ticks.cancel(false);
            expire(System.nanoTime());
            for (Long d : due) tally.failed(d, "unsent");
            due.clear();
            if (inFlight) {
                inFlight = false;
                tally.failed(current, "unanswered");
            }
            if (channel != null) channel.close();
        });
    }

    private void tick() {
        long now = System.nanoTime();
        expire(now);
        if (now < endNanos) {
            due.add(now);
            if (due.size() > MAX_BACKLOG) tally.failed(due.poll(), "backlog");
        }
        pump();
    }

    /** Fails the request in flight and those waiting once they are older than the timeout. */
    private void expire(long now) {
        if (inFlight && now - current > timeoutNanos) {
            inFlight = false;
            tally.failed(current, "timeout");
            Channel late = channel; // its answer, if any, would be out of step: a new connection for the next request
            channel = null;
            if (late != null) late.close();
        }
        while (!due.isEmpty() && now - due.peek() > timeoutNanos) tally.failed(due.poll(), "timeout");
    }

    private void pump() {
        if (inFlight || due.isEmpty()) return;
        if (channel == null || !channel.isActive()) {
            if (!connecting) connect();
            return;
        }
        current = due.poll();
        inFlight = true;
        status = 0;
        channel.writeAndFlush(request.retainedDuplicate(), channel.voidPromise());
    }

    private void connect() {
        connecting = true;
        bootstrap.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpResponseDecoder(), new Connection());
            }
        }).connect(target, local).addListener((ChannelFutureListener) f -> {
            connecting = false;
            if (f.isSuccess()) {
                channel = f.channel();
                pump();
            } else {
                tally.connectFailed.increment(); // the due requests wait for the next tick and time out
            }
        });
    }

    private final class Connection extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (ctx.channel() != channel) return;
                if (msg instanceof HttpResponse r) status = r.decoderResult().isSuccess() ? r.status().code() : 0;
                if (msg instanceof LastHttpContent && inFlight) {
                    inFlight = false;
                    tally.answered(current, status, System.nanoTime());
                    pump();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel) return;
            channel = null;
            if (System.nanoTime() < endNanos) tally.closedByEdge.increment();
            if (inFlight) {
                inFlight = false;
                tally.failed(current, "closed");
            }
            pump();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
