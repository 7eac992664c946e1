package dev.bulwark.server.origin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

import java.nio.charset.StandardCharsets;

/**
 * A body of {@code length} bytes cut from one shared, read-only buffer. ChunkedWriteHandler
 * pulls the next chunk only when the channel is writable, so a 1 GiB download costs no
 * more memory than one chunk in flight and a slow reader slows the writer.
 */
final class RepeatedBytes implements ChunkedInput<ByteBuf> {
    static final int CHUNK = 16 * 1024;
    private static final ByteBuf PATTERN;

    static {
        byte[] line = "Bulwark demo origin bytes 0123456789abcdefghijklmnopqrstuvwxyz!\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuf b = Unpooled.directBuffer(CHUNK);
        while (b.writableBytes() > 0) b.writeBytes(line, 0, Math.min(line.length, b.writableBytes()));
        PATTERN = Unpooled.unreleasableBuffer(b);
    }

    private final long length;
    private long sent;

    RepeatedBytes(long length) {
        if (length < 0) throw new IllegalArgumentException("length must be >= 0");
        this.length = length;
    }

    @Override public boolean isEndOfInput() { return sent >= length; }

    @Override public void close() { sent = length; }

    @Deprecated
    @Override public ByteBuf readChunk(ChannelHandlerContext ctx) { return readChunk(ctx.alloc()); }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) return null;
        int n = (int) Math.min(CHUNK, length - sent);
        sent += n;
        return PATTERN.slice(0, n); // a view: no copy, and releasing it is a no-op
    }

    @Override public long length() { return length; }

    @Override public long progress() { return sent; }
}
