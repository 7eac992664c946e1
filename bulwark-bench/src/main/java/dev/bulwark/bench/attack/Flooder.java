package dev.bulwark.bench.attack;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One attacker address: a keep-alive connection that sends the next request as soon as the
 * previous answer is in (no pipelining), and reconnects whenever the edge closes it, until the
 * flood ends. Everything runs on the connection's event loop.
 */
final class Flooder {
    /** An answer that takes longer than this (a tarpit holds at most 10 s) counts as a timeout. */
    static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final int index;
    private final Bootstrap bootstrap;
    private final InetSocketAddress target, local;
    private final ByteBuf request;
    private final AttackTally tally;
    private final long endNanos;
    private final int reconnectDelayMs;
    private volatile Channel channel;

    Flooder(int index, Bootstrap bootstrap, InetSocketAddress target, InetSocketAddress local, ByteBuf request,
            AttackTally tally, long endNanos, int reconnectDelayMs) {
        this.index = index;
        this.bootstrap = bootstrap;
        this.target = target;
        this.local = local;
        this.request = request;
        this.tally = tally;
        this.endNanos = endNanos;
        this.reconnectDelayMs = reconnectDelayMs;
    }

    void start() { connect(); }

    /** Closes the connection (end of the run). */
    void stop() {
        Channel c = channel;
        if (c != null) c.close();
    }

    private boolean over() { return System.nanoTime() >= endNanos; }

    private void connect() {
        if (over()) return;
        bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpResponseDecoder(), new Connection());
            }
        }).connect(target, local).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                channel = f.channel();
                return;
            }
            tally.connectFailed.increment();
            tally.failed(System.nanoTime());
            reconnectLater(f.channel());
        });
    }

    private void reconnectLater(Channel any) {
        if (over()) return;
        if (reconnectDelayMs == 0) {
            connect();
        } else {
            any.eventLoop().schedule(this::connect, reconnectDelayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The handler of one connection of this attacker. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private boolean inFlight;
        private long sentAt;
        private int status;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            tally.connections.increment();
            send(ctx);
            ctx.fireChannelActive();
        }

        private void send(ChannelHandlerContext ctx) {
            if (over()) {
                ctx.close();
                return;
            }
            inFlight = true;
            status = 0;
            sentAt = System.nanoTime();
            ctx.writeAndFlush(request.retainedDuplicate(), ctx.voidPromise());
            long sent = sentAt;
            ctx.executor().schedule(() -> {
                if (inFlight && sentAt == sent) {
                    tally.timedOut.increment();
                    inFlight = false;
                    tally.failed(System.nanoTime());
                    ctx.close();
                }
            }, ANSWER_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse r) status = r.decoderResult().isSuccess() ? r.status().code() : 0;
                if (msg instanceof LastHttpContent && inFlight) {
                    inFlight = false;
                    tally.answered(index, status, System.nanoTime());
                    send(ctx);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (inFlight) {
                inFlight = false;
                tally.closedInFlight.increment();
                tally.failed(System.nanoTime());
            } else if (!over()) {
                tally.closedIdle.increment();
            }
            reconnectLater(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // resets are part of the game
        }
    }
}
