package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge's own pages write header lines exactly as Netty's response encoder does. */
class HeaderTextTest {
    private static FullHttpResponse response() {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
        r.headers().set("Content-Length", "0");
        r.headers().add(AsciiString.cached("via"), AsciiString.cached("1.1 bulwark"));
        r.headers().add("Location", "/caf\u00e9"); // ISO-8859-1 beyond ASCII: its one byte
        r.headers().add("X-Odd", "\u010a\u20ac"); // past ISO-8859-1: '?' each, never a line feed
        r.headers().add(new StringBuilder("X-Built"), new StringBuilder("from a builder"));
        return r;
    }

    @Test
    void headerLinesAreTheBytesOfNettysEncoder() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseEncoder());
        ch.writeOutbound(response());
        ByteBuf netty = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            netty.writeBytes(b);
            b.release();
        }
        ch.finishAndReleaseAll();
        ByteBuf ours = Unpooled.buffer();
        ours.writeCharSequence("HTTP/1.1 200 OK\r\n", StandardCharsets.US_ASCII);
        HeaderText.writeHeaders(response().headers(), ours);
        ours.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        assertThat(ours).isEqualTo(netty);
        assertThat(ours.toString(StandardCharsets.ISO_8859_1))
                .contains("Location: /caf\u00e9\r\n", "via: 1.1 bulwark\r\n", "X-Odd: ??\r\n", "X-Built: from a builder\r\n");
    }
}
