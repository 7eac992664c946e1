package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Iterator;
import java.util.Map;

/**
 * HTTP/1.1 header lines for responses the edge writes in wire form itself (its own pages),
 * byte for byte as Netty's encoders write them: one byte per char, '?' past ISO-8859-1, so a
 * char such as U+010A can never turn into a line feed.
 *
 * <p>Copying each String's bytes in bulk ({@code getBytes(ISO_8859_1)}) was tried and dropped:
 * in {@code HeaderWritingBenchmark} it wrote the twelve headers of a proxied request in a median
 * 305 ns against 440, but allocated a copy of every string (712 bytes per message, twice per
 * proxied request), and an allocation-free bulk copy would store the low byte of a char past
 * Latin-1 instead of '?' (docs/benchmarks.md).
 */
public final class HeaderText {
    private static final short COLON_SP = (':' << 8) | ' ';
    private static final short CRLF = ('\r' << 8) | '\n';

    private HeaderText() {}

    /** Writes each header as a {@code name: value} line. */
    public static void writeHeaders(HttpHeaders headers, ByteBuf buf) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            ByteBufUtil.writeAscii(buf, h.getKey()); // '?' for a char past ISO-8859-1, as Netty's encoders
            buf.writeShort(COLON_SP);
            ByteBufUtil.writeAscii(buf, h.getValue());
            buf.writeShort(CRLF);
        }
    }
}
