package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk header writer gives the bytes Netty's own encoders give, in both directions. */
class HeaderTextTest {
    private static <M extends FullHttpMessage> M withHeaders(M m) {
        m.headers().set("Content-Length", "5");
        m.headers().add(AsciiString.cached("via"), AsciiString.cached("1.1 bulwark"));
        m.headers().add("Location", "/caf\u00e9"); // ISO-8859-1 beyond ASCII: its one byte
        m.headers().add(new StringBuilder("X-Built"), new StringBuilder("from a builder"));
        return m;
    }

    private static Supplier<FullHttpMessage> response() {
        return () -> withHeaders(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)));
    }

    private static Supplier<FullHttpMessage> request() {
        return () -> withHeaders(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/submit?a=1",
                Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)));
    }

    static byte[] encode(ChannelHandler encoder, FullHttpMessage m) {
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        ch.writeOutbound(m);
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
    void responsesToClientsHaveTheBytesOfNettysEncoder() {
        byte[] ours = encode(new ResponseEncoder(), response().get());
        assertThat(ours).isEqualTo(encode(new HttpResponseEncoder(), response().get()));
        assertThat(new String(ours, StandardCharsets.ISO_8859_1))
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Location: /caf\u00e9\r\n", "via: 1.1 bulwark\r\n", "X-Built: from a builder\r\n")
                .endsWith("\r\n\r\nhello");
    }

    @Test
    void requestsToOriginsHaveTheBytesOfNettysEncoder() {
        byte[] ours = encode(new UpstreamCodec(), request().get());
        assertThat(ours).isEqualTo(encode(new HttpRequestEncoder(), request().get()));
        assertThat(new String(ours, StandardCharsets.ISO_8859_1))
                .startsWith("POST /submit?a=1 HTTP/1.1\r\n")
                .contains("via: 1.1 bulwark\r\n")
                .endsWith("\r\n\r\nhello");
    }

    @Test
    void aCharPastLatin1BecomesAQuestionMarkAsInNetty() {
        ByteBuf b = Unpooled.buffer();
        HeaderText.writeText(b, "\u20ac5");
        assertThat(b.toString(StandardCharsets.ISO_8859_1)).isEqualTo("?5");
        ByteBuf netty = Unpooled.buffer();
        io.netty.buffer.ByteBufUtil.writeAscii(netty, "\u20ac5");
        assertThat(b).isEqualTo(netty);
    }
}
