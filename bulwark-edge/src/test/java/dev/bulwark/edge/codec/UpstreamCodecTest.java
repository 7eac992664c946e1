package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Response framing depends on the request that was sent: a HEAD's answer has no body whatever its headers say. */
class UpstreamCodecTest {
    private final EmbeddedChannel ch = new EmbeddedChannel(new UpstreamCodec());

    private void send(HttpMethod method) {
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        for (Object o; (o = ch.readOutbound()) != null; ) ReferenceCountUtil.release(o);
    }

    /** Feeds origin bytes and returns what the decoder made of them: heads by status, bodies as text, "END" per last content. */
    private List<String> receive(String wire) {
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.US_ASCII));
        List<String> got = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            if (o instanceof HttpResponse r) got.add(String.valueOf(r.status().code()));
            if (o instanceof HttpContent c) {
                ByteBuf b = c.content();
                if (b.isReadable()) got.add(b.toString(StandardCharsets.US_ASCII));
                if (c instanceof LastHttpContent) got.add("END");
            }
            ReferenceCountUtil.release(o);
        }
        return got;
    }

    @Test
    void aHeadAnswerEndsAtItsHeadersAndTheNextResponseKeepsItsBody() {
        send(HttpMethod.HEAD);
        assertThat(receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")).containsExactly("200", "END");
        send(HttpMethod.GET);
        assertThat(receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")).containsExactly("200", "hello", "END");
        ch.finishAndReleaseAll();
    }

    @Test
    void anInformationalResponseDoesNotUseUpTheHead() {
        send(HttpMethod.HEAD);
        assertThat(receive("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")).containsExactly("103", "END", "200", "END");
        ch.finishAndReleaseAll();
    }

    @Test
    void aGetAnswerIsReadToItsLength() {
        send(HttpMethod.GET);
        assertThat(receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel")).containsExactly("200", "hel");
        assertThat(receive("lo")).containsExactly("lo", "END");
        ch.finishAndReleaseAll();
    }
}
