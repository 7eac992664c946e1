package dev.bulwark.edge.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A frame-level HTTP/2 client with prior knowledge (h2c), so tests can send exactly the header
 * blocks a real client library would refuse to produce (connection-specific headers, bad
 * pseudo-headers). One request per connection, on stream 1.
 */
public final class RawH2 implements AutoCloseable {
    /** What came back on stream 1: a status and body, or the RST_STREAM / GOAWAY error code. */
    public record Result(int status, Http2Headers headers, String body, int resetCode, boolean goaway) {}

    private static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawH2(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    public Result request(Http2Headers headers, byte[] body) throws Exception {
        ByteBuf block = Unpooled.buffer();
        new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true).encodeHeaders(1, headers, block);
        byte[] bytes = new byte[block.readableBytes()];
        block.readBytes(bytes);
        block.release();
        frame(HEADERS, 0x4 | (body == null ? 0x1 : 0), 1, bytes);
        if (body != null) frame(DATA, 0x1, 1, body);
        out.flush();
        return read();
    }

    private boolean goaway;

    /** Whether the server sent a graceful GOAWAY while stream 1 was being served. */
    public boolean sawGoaway() { return goaway; }

    private Result read() throws Exception {
        Http2Headers headers = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
        while (true) {
            int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = in.readNBytes(length);
            switch (type) {
                case SETTINGS -> { if ((flags & 1) == 0) frame(SETTINGS, 1, 0, new byte[0]); }
                case PING -> { if ((flags & 1) == 0) frame(PING, 1, 0, payload); }
                case GOAWAY -> {
                    int lastStream = java.nio.ByteBuffer.wrap(payload, 0, 4).getInt() & 0x7fffffff;
                    int code = java.nio.ByteBuffer.wrap(payload, 4, 4).getInt();
                    if (lastStream < 1 || code != 0) return new Result(0, null, null, code, true);
                    goaway = true; // graceful: stream 1 is still served
                }
                case RST_STREAM -> {
                    if (stream == 1) return new Result(0, headers, body.toString(StandardCharsets.UTF_8), java.nio.ByteBuffer.wrap(payload).getInt(), false);
                }
                case HEADERS -> {
                    if (stream == 1 && headers == null) headers = decoder.decodeHeaders(1, Unpooled.wrappedBuffer(payload));
                    if (stream == 1 && (flags & 1) != 0) return done(headers, body);
                }
                case DATA -> {
                    if (stream == 1) {
                        body.write(payload);
                        if ((flags & 1) != 0) return done(headers, body); // stream ended: no window to reopen, and a
                                                                          // draining server may already have closed
                        if (length > 0) {
                            frame(WINDOW_UPDATE, 0, 0, java.nio.ByteBuffer.allocate(4).putInt(length).array());
                            frame(WINDOW_UPDATE, 0, 1, java.nio.ByteBuffer.allocate(4).putInt(length).array());
                        }
                    }
                }
                default -> { }
            }
        }
    }

    private static Result done(Http2Headers h, ByteArrayOutputStream body) {
        return new Result(Integer.parseInt(h.status().toString()), h, body.toString(StandardCharsets.UTF_8), -1, false);
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type, (byte) flags,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(head);
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() throws IOException { socket.close(); }
}
