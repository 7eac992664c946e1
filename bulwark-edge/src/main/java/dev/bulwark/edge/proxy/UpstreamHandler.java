package dev.bulwark.edge.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/** Last handler of an upstream channel: hands everything to the request currently using the connection. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private ProxyCall call;

    void attach(ProxyCall call) { this.call = call; }

    void detach() { this.call = null; }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (call == null) { // an idle pooled connection must not talk: drop it
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        call.onUpstreamRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (call != null) call.flushClient();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (call != null) call.onUpstreamWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ProxyCall c = call;
        call = null;
        if (c != null) c.onUpstreamClosed(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // channelInactive reports it to the call
    }
}
