package dev.bulwark.edge.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorPagesTest {
    @Test
    void theFormFollowsAccept() {
        assertThat(ErrorPages.Format.of("application/json")).isEqualTo(ErrorPages.Format.JSON);
        assertThat(ErrorPages.Format.of("application/json, text/html")).isEqualTo(ErrorPages.Format.JSON);
        assertThat(ErrorPages.Format.of("text/html,application/json")).isEqualTo(ErrorPages.Format.HTML);
        assertThat(ErrorPages.Format.of("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).isEqualTo(ErrorPages.Format.HTML);
        assertThat(ErrorPages.Format.of("*/*")).isEqualTo(ErrorPages.Format.TEXT);
        assertThat(ErrorPages.Format.of("image/avif,image/webp,*/*")).isEqualTo(ErrorPages.Format.TEXT);
        assertThat(ErrorPages.Format.of(null)).isEqualTo(ErrorPages.Format.TEXT);
    }

    @Test
    void aTextPageIsThreeLinesWithStatusExplanationIdAndTime() {
        FullHttpResponse r = ErrorPages.render(ByteBufAllocator.DEFAULT, 429, "Slow\r\ndown.", "00ff00ff00ff00ff", 1_700_000_000_123L, null, false);
        assertThat(r.content().toString(StandardCharsets.UTF_8))
                .isEqualTo("429 Too Many Requests\nSlow  down.\nRequest id 00ff00ff00ff00ff, 2023-11-14T22:13:20.123Z (Bulwark)\n");
        assertThat(r.headers().get("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");
        assertThat(r.headers().get("cache-control")).isEqualTo("no-store");
        assertThat(r.headers().getInt("Content-Length")).isEqualTo(r.content().readableBytes());
        r.release();
    }

    @Test
    void htmlPageShowsStatusIdAndTimeAndEscapesTheReason() {
        FullHttpResponse r = ErrorPages.render(ByteBufAllocator.DEFAULT, 502, "<script>x</script>", "00ff00ff00ff00ff", 0L, "text/html", false);
        String body = r.content().toString(StandardCharsets.UTF_8);
        assertThat(r.status().code()).isEqualTo(502);
        assertThat(body).contains("502 Bad Gateway", "00ff00ff00ff00ff", "1970-01-01T00:00:00Z", "&lt;script&gt;").doesNotContain("<script>");
        assertThat(r.headers().get("Content-Security-Policy")).contains("default-src 'none'");
        assertThat(r.headers().getInt("Content-Length")).isEqualTo(r.content().readableBytes());
        r.release();
    }

    @Test
    void aPageEncodedOnceCarriesEachRequestsOwnIdAndTime() throws Exception {
        for (String accept : new String[]{"text/html", "application/json", "*/*"}) {
            FullHttpResponse first = ErrorPages.render(ByteBufAllocator.DEFAULT, 429, "Too many \"requests\" & more", "1111111111111111",
                    1_700_000_000_123L, accept, false);
            FullHttpResponse second = ErrorPages.render(ByteBufAllocator.DEFAULT, 429, "Too many \"requests\" & more", "2222222222222222",
                    1_700_000_001_000L, accept, false);
            String a = first.content().toString(StandardCharsets.UTF_8);
            String b = second.content().toString(StandardCharsets.UTF_8);
            assertThat(a).contains("1111111111111111", "2023-11-14T22:13:20.123Z").doesNotContain("2222222222222222");
            assertThat(b).contains("2222222222222222", "2023-11-14T22:13:21Z").doesNotContain("1111111111111111");
            assertThat(a.replace("1111111111111111", "X").replace("2023-11-14T22:13:20.123Z", "T"))
                    .isEqualTo(b.replace("2222222222222222", "X").replace("2023-11-14T22:13:21Z", "T"));
            assertThat(second.headers().getInt("Content-Length")).isEqualTo(second.content().readableBytes());
            if (accept.equals("application/json")) {
                com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(a);
                assertThat(j.get("request_id").asText()).isEqualTo("1111111111111111");
                assertThat(j.get("message").asText()).isEqualTo("Too many \"requests\" & more");
                assertThat(j.get("status").asInt()).isEqualTo(429);
            } else if (accept.equals("text/html")) {
                assertThat(a).contains("Too many &quot;requests&quot; &amp; more");
            } else {
                assertThat(a).contains("Too many \"requests\" & more");
            }
            first.release();
            second.release();
        }
    }

    @Test
    void theTimeReadsAsInstantWritesIt() {
        for (long t : new long[]{0L, 999L, 1_000L, 1_700_000_000_007L, 1_700_000_000_070L, 1_700_000_000_700L, 1_700_000_059_999L, -1L}) {
            FullHttpResponse r = ErrorPages.render(ByteBufAllocator.DEFAULT, 403, null, "id", t, "application/json", false);
            assertThat(r.content().toString(StandardCharsets.UTF_8)).contains("\"time\":\"" + java.time.Instant.ofEpochMilli(t) + "\"");
            assertThat(r.headers().getInt("Content-Length")).isEqualTo(r.content().readableBytes());
            r.release();
        }
    }

    @Test
    void headAnswerKeepsTheLengthButHasNoBody() {
        FullHttpResponse r = ErrorPages.render(ByteBufAllocator.DEFAULT, 404, null, "id", 0L, null, true);
        assertThat(r.content().readableBytes()).isZero();
        assertThat(r.headers().getInt("Content-Length")).isPositive();
        r.release();
    }

    @Test
    void theWireFormIsTheRenderedPagePlusTheExtraHeaders() {
        for (String accept : new String[]{"text/html", "application/json", null}) {
            for (boolean head : new boolean[]{false, true}) {
                FullHttpResponse rendered = ErrorPages.render(ByteBufAllocator.DEFAULT, 429, "Slow down.", "0123456789abcdef", 1_700_000_000_123L, accept, head);
                io.netty.handler.codec.http.HttpHeaders extra = ErrorPages.OWN_HEADERS.newHeaders();
                extra.add("Retry-After", "60");
                extra.add("Bulwark-Request-Id", "0123456789abcdef");
                extra.add("via", "1.1 bulwark");
                extra.add("Location", "/caf\u00e9"); // ISO-8859-1 beyond ASCII goes out as its one byte
                ErrorPages.Wire wire = ErrorPages.encode(ByteBufAllocator.DEFAULT, 429, "Slow down.", "0123456789abcdef", 1_700_000_000_123L, accept, head, extra);
                assertThat(wire.bodyLength()).isEqualTo(rendered.content().readableBytes());

                // a response to HEAD has a length but no body: the decoder is told, as a client would be
                io.netty.channel.embedded.EmbeddedChannel decoder = new io.netty.channel.embedded.EmbeddedChannel(
                        new io.netty.handler.codec.http.HttpClientCodec());
                decoder.writeOutbound(new io.netty.handler.codec.http.DefaultFullHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                        head ? io.netty.handler.codec.http.HttpMethod.HEAD : io.netty.handler.codec.http.HttpMethod.GET, "/"));
                decoder.writeInbound(wire.bytes());
                io.netty.handler.codec.http.HttpResponse parsed = decoder.readInbound();
                StringBuilder body = new StringBuilder();
                for (Object o; (o = decoder.readInbound()) != null; ) {
                    io.netty.handler.codec.http.HttpContent c = (io.netty.handler.codec.http.HttpContent) o;
                    body.append(c.content().toString(StandardCharsets.UTF_8));
                    c.release();
                }
                assertThat(parsed.decoderResult().isSuccess()).isTrue();
                assertThat(parsed.status()).isEqualTo(rendered.status());
                for (var h : rendered.headers()) {
                    if (!h.getKey().equalsIgnoreCase("content-length")) assertThat(parsed.headers().getAll(h.getKey())).as(h.getKey()).containsExactly(h.getValue());
                }
                assertThat(parsed.headers().get("Retry-After")).isEqualTo("60");
                assertThat(parsed.headers().get("via")).isEqualTo("1.1 bulwark");
                assertThat(parsed.headers().get("Location")).isEqualTo("/caf\u00e9");
                assertThat(parsed.headers().getInt("content-length")).isEqualTo(rendered.headers().getInt("content-length"));
                assertThat(body.toString()).isEqualTo(rendered.content().toString(StandardCharsets.UTF_8));
                rendered.release();
                decoder.finishAndReleaseAll();
            }
        }
    }
}
