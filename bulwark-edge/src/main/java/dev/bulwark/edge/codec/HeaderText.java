package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * HTTP/1.1 header lines written in bulk, for both directions (responses to clients, requests to
 * origins, and the edge's own pages). Netty's encoders write a String header one char at a time
 * through {@code charAt} and a bounds check each; in a profile of proxied requests that was
 * about 3% of the edge's Java time per direction, and copying the String's bytes is about four
 * times faster. Same bytes as Netty's: one per char, '?' past ISO-8859-1.
 */
public final class HeaderText {
    private static final short COLON_SP = (':' << 8) | ' ';
    private static final short CRLF = ('\r' << 8) | '\n';

    private HeaderText() {}

    /** Writes each header as a {@code name: value} line, as Netty's encoders do. */
    public static void writeHeaders(HttpHeaders headers, ByteBuf buf) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            writeText(buf, h.getKey());
            buf.writeShort(COLON_SP);
            writeText(buf, h.getValue());
            buf.writeShort(CRLF);
        }
    }

    /** Writes header text as HTTP/1.1 puts it on the wire: one byte per char, '?' for a char past ISO-8859-1. */
    public static void writeText(ByteBuf buf, CharSequence text) {
        if (text instanceof String s) {
            buf.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1)); // an array copy for a Latin-1 String
        } else {
            ByteBufUtil.writeAscii(buf, text); // AsciiString: a bulk copy too
        }
    }
}
