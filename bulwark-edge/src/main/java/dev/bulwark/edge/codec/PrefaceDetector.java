package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * On a cleartext listener, tells h2c with prior knowledge (the connection starts with the
 * HTTP/2 preface) from HTTP/1.1, installs the matching codec and steps aside. It decides as
 * soon as the first bytes differ from the preface, so HTTP/1.1 clients are not delayed.
 */
final class PrefaceDetector extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final BiConsumer<ChannelPipeline, Boolean> http1;
    private final BiConsumer<ChannelPipeline, Boolean> http2;

    PrefaceDetector(BiConsumer<ChannelPipeline, Boolean> http1, BiConsumer<ChannelPipeline, Boolean> http2) {
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean matches = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), n);
        if (matches && n < PREFACE.readableBytes()) return; // could still be the preface: wait for more
        if (matches) http2.accept(ctx.pipeline(), false);
        else http1.accept(ctx.pipeline(), false);
        ctx.pipeline().remove(this); // hands the bytes read so far to the new codec
    }
}
