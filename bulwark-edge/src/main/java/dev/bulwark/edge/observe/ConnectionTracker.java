package dev.bulwark.edge.observe;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;

/** First handler of every client connection: counts it and keeps it in the group drained at shutdown. */
@ChannelHandler.Sharable
public final class ConnectionTracker extends ChannelInboundHandlerAdapter {
    private final EdgeMetrics metrics;
    private final ChannelGroup clients;

    public ConnectionTracker(EdgeMetrics metrics, ChannelGroup clients) {
        this.metrics = metrics;
        this.clients = clients;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.connectionOpened();
        clients.add(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        metrics.connectionClosed();
        ctx.fireChannelInactive();
    }
}
