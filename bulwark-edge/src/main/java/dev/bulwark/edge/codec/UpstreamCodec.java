package dev.bulwark.edge.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;

import java.util.List;

/**
 * HTTP/1.1 towards an origin, in place of Netty's HttpClientCodec: its response decoder, told
 * when a response has no body because it answers HEAD, and a request encoder that writes header
 * text in bulk ({@link HeaderText}). A connection carries one exchange at a time (the edge
 * pools connections and never pipelines to an origin), so the method of the request in flight
 * is one field, not the client codec's queue. CONNECT never reaches an origin: the request
 * decoder refuses authority-form.
 *
 * <p>Origin headers are not re-validated (as with the client codec's {@code validateHeaders}
 * off): the decoder splits lines, so a value can never carry CR or LF to the client.
 */
public final class UpstreamCodec extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {
    private boolean headInFlight;

    public UpstreamCodec(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
        init(new Decoder(new HttpDecoderConfig()
                        .setMaxInitialLineLength(maxInitialLineLength)
                        .setMaxHeaderSize(maxHeaderSize)
                        .setMaxChunkSize(maxChunkSize)
                        .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false))
                        .setTrailersFactory(DefaultHttpHeadersFactory.trailersFactory().withValidation(false))),
                new Encoder());
    }

    /** The codec a health probe or a test uses: Netty's default line and header sizes. */
    public UpstreamCodec() {
        this(4096, 8192, 8192);
    }

    private final class Encoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest r) headInFlight = HttpMethod.HEAD.equals(r.method());
            super.encode(ctx, msg, out);
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            HeaderText.writeHeaders(headers, buf);
        }
    }

    private final class Decoder extends HttpResponseDecoder {
        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            int code = ((HttpResponse) msg).status().code();
            // an informational response precedes the real one, which still answers the HEAD
            if (headInFlight && (code < 100 || code >= 200)) return true;
            return super.isContentAlwaysEmpty(msg);
        }
    }
}
