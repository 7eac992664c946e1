package dev.bulwark.edge.codec;

import dev.bulwark.core.config.HttpLimits;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The decoder alone, with EmbeddedChannel: what it refuses, with which status, and what it lets through. */
class StrictRequestDecoderTest {
    private final EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(HttpLimits.defaults()));

    private List<Object> feed(String... parts) {
        for (String p : parts) ch.writeInbound(Unpooled.copiedBuffer(p, StandardCharsets.ISO_8859_1));
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) out.add(o);
        return out;
    }

    private static int statusOf(Object o) {
        HttpRequest r = (HttpRequest) o;
        return r.decoderResult().isSuccess() ? 0 : StrictRequestDecoder.statusFor(r.decoderResult().cause());
    }

    @Test
    void obsFoldIsRefusedEvenWhenSplitAcrossReads() {
        List<Object> out = feed("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n", " c\r\n\r\n");
        assertThat(statusOf(out.get(0))).isEqualTo(400);
        assertThat(((HttpRequest) out.get(0)).decoderResult().cause()).hasMessageContaining("folding");
        out.forEach(ReferenceCountUtil::release);
    }

    @Test
    void foldLikeBytesInABodyAreNotAFold() {
        List<Object> out = feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n\n \n ",
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(out).hasSize(4);
        assertThat(statusOf(out.get(0))).isZero();
        assertThat(out.get(1)).isInstanceOf(LastHttpContent.class);
        assertThat(statusOf(out.get(2))).as("the next request on the connection is fine").isZero();
        out.forEach(ReferenceCountUtil::release);
    }

    @Test
    void malformedContentLengthIsRefused() {
        for (String cl : List.of("5, 5", "5x", "-1", "")) {
            EmbeddedChannel c = new EmbeddedChannel(new StrictRequestDecoder(HttpLimits.defaults()));
            c.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + cl + "\r\n\r\nhello", StandardCharsets.ISO_8859_1));
            Object o = c.readInbound();
            assertThat(o).as(cl).isInstanceOf(HttpRequest.class);
            assertThat(statusOf(o)).as(cl).isEqualTo(400);
            c.finishAndReleaseAll();
        }
    }

    @Test
    void hostRulesOnlyApplyToHttp11() {
        assertThat(statusOf(feed("GET / HTTP/1.1\r\n\r\n").get(0))).isEqualTo(400);
        EmbeddedChannel c = new EmbeddedChannel(new StrictRequestDecoder(HttpLimits.defaults()));
        c.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.0\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertThat(statusOf(c.readInbound())).isZero();
        c.finishAndReleaseAll();
    }

    @Test
    void limitsMapToTheirStatuses() {
        EmbeddedChannel c = new EmbeddedChannel(new StrictRequestDecoder(new HttpLimits(2048, 300, 5, null, null, null)));
        c.writeInbound(Unpooled.copiedBuffer("GET /" + "a".repeat(400) + " HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertThat(statusOf(c.readInbound())).isEqualTo(414);
        c.finishAndReleaseAll();
        c = new EmbeddedChannel(new StrictRequestDecoder(new HttpLimits(2048, 300, 5, null, null, null)));
        c.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(3000) + "\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertThat(statusOf(c.readInbound())).isEqualTo(431);
        c.finishAndReleaseAll();
        c = new EmbeddedChannel(new StrictRequestDecoder(new HttpLimits(2048, 300, 5, null, null, null)));
        c.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: a\r\n" + "X: 1\r\n".repeat(6) + "\r\n", StandardCharsets.ISO_8859_1));
        assertThat(statusOf(c.readInbound())).isEqualTo(431);
        c.finishAndReleaseAll();
    }

    @Test
    void chunkedBodyPassesAsContent() {
        List<Object> out = feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(statusOf(out.get(0))).isZero();
        assertThat(out.subList(1, out.size())).allMatch(o -> o instanceof HttpContent);
        out.forEach(ReferenceCountUtil::release);
    }
}
