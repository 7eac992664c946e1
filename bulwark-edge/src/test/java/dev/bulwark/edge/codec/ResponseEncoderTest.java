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

class ResponseEncoderTest {
    private static FullHttpResponse response() {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        r.headers().set("Content-Length", "5");
        r.headers().add(AsciiString.cached("via"), AsciiString.cached("1.1 bulwark"));
        r.headers().add("Location", "/caf\u00e9"); // ISO-8859-1 beyond ASCII: its one byte
        r.headers().add(new StringBuilder("X-Built"), new StringBuilder("from a builder"));
        return r;
    }

    private static byte[] encode(io.netty.channel.ChannelHandler encoder, FullHttpResponse r) {
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        ch.writeOutbound(r);
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        ch.finishAndReleaseAll();
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        return out;
    }

    @Test
    void writesTheSameBytesAsNettysEncoder() {
        byte[] ours = encode(new ResponseEncoder(), response());
        assertThat(ours).isEqualTo(encode(new HttpResponseEncoder(), response()));
        assertThat(new String(ours, StandardCharsets.ISO_8859_1))
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Location: /caf\u00e9\r\n", "via: 1.1 bulwark\r\n", "X-Built: from a builder\r\n")
                .endsWith("\r\n\r\nhello");
    }

    @Test
    void aCharPastLatin1BecomesAQuestionMarkAsInNetty() {
        ByteBuf b = Unpooled.buffer();
        ResponseEncoder.writeText(b, "\u20ac5");
        assertThat(b.toString(StandardCharsets.ISO_8859_1)).isEqualTo("?5");
        ByteBuf netty = Unpooled.buffer();
        io.netty.buffer.ByteBufUtil.writeAscii(netty, "\u20ac5");
        assertThat(b).isEqualTo(netty);
    }
}
