package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

import java.util.function.Consumer;

/**
 * Sits just before the HTTP/2 codec and reads the 9-byte header of every frame the client
 * sends (after the connection preface), without copying or consuming anything, so the
 * {@link FrameFloodMeter} sees frames the codec never shows the pipeline (connection-level
 * WINDOW_UPDATE, PRIORITY, CONTINUATION). Payloads are skipped by length. Outbound, it only
 * counts bytes. Once a flood is found, the rest of what the client sends is dropped unread and
 * the {@link Http2AbuseGuard} answers.
 */
final class Http2FrameInspector extends ChannelDuplexHandler {
    private static final int PREFACE_LENGTH = 24;
    private static final int FRAME_HEADER = 9;

    private final FrameFloodMeter meter;
    private final Consumer<FrameFloodMeter.Finding> onFlood;
    private final byte[] header = new byte[FRAME_HEADER];
    private int headerFill;
    private int prefaceLeft = PREFACE_LENGTH;
    private long payloadLeft;
    private boolean tripped;

    /** {@code onFlood} is told once (in production {@link Http2AbuseGuard#tripped}). */
    Http2FrameInspector(FrameFloodMeter meter, Consumer<FrameFloodMeter.Finding> onFlood) {
        this.meter = meter;
        this.onFlood = onFlood;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (tripped) {
            buf.release();
            return;
        }
        FrameFloodMeter.Finding f = walk(buf);
        if (f == null) {
            ctx.fireChannelRead(buf);
            return;
        }
        tripped = true;
        buf.release();
        onFlood.accept(f);
    }

    private FrameFloodMeter.Finding walk(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            if (prefaceLeft > 0) {
                int n = Math.min(prefaceLeft, end - i);
                prefaceLeft -= n;
                i += n;
            } else if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, end - i);
                payloadLeft -= n;
                i += n;
            } else if (headerFill == 0 && end - i >= FRAME_HEADER) { // the usual case: a whole header in this buffer
                FrameFloodMeter.Finding f = frame(buf.getUnsignedMedium(i), buf.getUnsignedByte(i + 3), buf.getUnsignedByte(i + 4));
                i += FRAME_HEADER;
                if (f != null) return f;
            } else {
                int n = Math.min(FRAME_HEADER - headerFill, end - i);
                buf.getBytes(i, header, headerFill, n);
                headerFill += n;
                i += n;
                if (headerFill == FRAME_HEADER) {
                    headerFill = 0;
                    int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
                    FrameFloodMeter.Finding f = frame(length, header[3] & 0xff, header[4] & 0xff);
                    if (f != null) return f;
                }
            }
        }
        return null;
    }

    private FrameFloodMeter.Finding frame(int length, int type, int flags) {
        payloadLeft = length;
        return meter.onFrame(type, flags, length);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) meter.sent(b.readableBytes());
        ctx.write(msg, promise);
    }
}
