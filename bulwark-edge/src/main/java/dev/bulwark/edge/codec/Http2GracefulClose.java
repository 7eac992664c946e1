package dev.bulwark.edge.codec;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;

/**
 * Ends an HTTP/2 connection the way {@code Connection: close} ends an HTTP/1.1 one: GOAWAY
 * (NO_ERROR, naming the last stream the client opened), the streams already open are served,
 * no new one is taken, and the connection closes once the last of them has ended, or after
 * {@link #GRACE_MILLIS}. Netty's {@code Http2ConnectionHandler#close} does exactly that, but
 * {@code Http2FrameCodecBuilder} sets its wait to 0 (close as soon as the GOAWAY is written,
 * cutting the open streams); the wait is set on this one connection, so the edge's other closes
 * of HTTP/2 connections (idle, floods) stay immediate.
 */
public final class Http2GracefulClose {
    /** How long the open streams may take: Netty's own default for an HTTP/2 graceful shutdown (30 s). */
    public static final long GRACE_MILLIS = Http2CodecUtil.DEFAULT_GRACEFUL_SHUTDOWN_TIMEOUT_MILLIS;

    private Http2GracefulClose() {}

    /** Closes {@code connection} (an HTTP/2 connection channel) gracefully; call on its event loop. */
    public static void close(Channel connection) {
        Http2FrameCodec codec = connection.pipeline().get(Http2FrameCodec.class);
        if (codec != null) codec.gracefulShutdownTimeoutMillis(GRACE_MILLIS);
        connection.close();
    }
}
