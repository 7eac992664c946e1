package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;

/** The HTTP/1.1 response encoder towards clients: Netty's, with header text copied in bulk ({@link HeaderText}). */
public final class ResponseEncoder extends HttpResponseEncoder {
    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        HeaderText.writeHeaders(headers, buf);
    }
}
