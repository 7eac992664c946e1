package dev.bulwark.edge.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorPagesTest {
    @Test
    void jsonOnlyWhenPreferredOverHtml() {
        assertThat(ErrorPages.prefersJson("application/json")).isTrue();
        assertThat(ErrorPages.prefersJson("application/json, text/html")).isTrue();
        assertThat(ErrorPages.prefersJson("text/html,application/json")).isFalse();
        assertThat(ErrorPages.prefersJson("*/*")).isFalse();
        assertThat(ErrorPages.prefersJson(null)).isFalse();
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
    void headAnswerKeepsTheLengthButHasNoBody() {
        FullHttpResponse r = ErrorPages.render(ByteBufAllocator.DEFAULT, 404, null, "id", 0L, null, true);
        assertThat(r.content().readableBytes()).isZero();
        assertThat(r.headers().getInt("Content-Length")).isPositive();
        r.release();
    }
}
