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
 * pseudo-headers), or floods of frames. {@link #request(Http2Headers, byte[])} serves one request on
 * stream 1; {@link #request(int, Http2Headers, byte[])} any number, one after the other.
 */
public final class RawH2 implements AutoCloseable {
    /** What came back on stream 1: a status and body, or the RST_STREAM / GOAWAY error code. */
    public record Result(int status, Http2Headers headers, String body, int resetCode, boolean goaway) {}

    public static final int DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8,
            CONTINUATION = 9;
    public static final int ENHANCE_YOUR_CALM = 0xb;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawH2(InetSocketAddress address) throws IOException {
        this(address, null);
    }

    /** From {@code source} (a loopback address such as 127.0.0.2), so tests of bans each have their own client address. */
    public RawH2(InetSocketAddress address, String source) throws IOException {
        socket = new Socket();
        if (source != null) socket.bind(new InetSocketAddress(java.net.InetAddress.getByName(source), 0));
        socket.setTcpNoDelay(true); // a frame is two writes: no Nagle wait between requests
        socket.connect(address, 5_000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** Over TLS-less h2c; the same, with its socket for tests that stop reading. */
    public Socket socket() { return socket; }

    public Result request(Http2Headers headers, byte[] body) throws Exception {
        return request(1, headers, body);
    }

    /** One request on {@code stream} (odd, above the previous one), read until its end. */
    public Result request(int stream, Http2Headers headers, byte[] body) throws Exception {
        if (owedConnectionCredit > 0) { // the previous responses' last frames, credited only now that we send anyway
            frame(WINDOW_UPDATE, 0, 0, java.nio.ByteBuffer.allocate(4).putInt(owedConnectionCredit).array());
            owedConnectionCredit = 0;
        }
        frame(HEADERS, 0x4 | (body == null ? 0x1 : 0), stream, headerBlock(headers));
        if (body != null) frame(DATA, 0x1, stream, body);
        out.flush();
        return read(stream);
    }

    /** HPACK-encodes {@code headers} (without a dynamic table, so blocks can be sent in any order). */
    public static byte[] headerBlock(Http2Headers headers) throws Exception {
        ByteBuf block = Unpooled.buffer();
        DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
        encoder.maxHeaderTableSize(0);
        encoder.encodeHeaders(1, headers, block);
        byte[] bytes = new byte[block.readableBytes()];
        block.readBytes(bytes);
        block.release();
        return bytes;
    }

    /** Sends one frame as is (buffered: call {@link #flush()}). */
    public synchronized void send(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type, (byte) flags,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(head);
        out.write(payload);
    }

    public void flush() throws IOException { out.flush(); }

    /**
     * Reads (and answers nothing) until the server's GOAWAY, and returns its error code; -1 when
     * the connection ended without one. Write errors of a flood the server cut short are expected.
     */
    public int awaitGoaway() throws IOException {
        try {
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                in.readUnsignedByte();
                in.readInt();
                byte[] payload = in.readNBytes(length);
                if (type == GOAWAY) return java.nio.ByteBuffer.wrap(payload, 4, 4).getInt();
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return -1;
        }
    }

    /** True when the server closed the connection (EOF or reset) before sending any frame or within the timeout. */
    public boolean closedWithoutAnswer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private boolean goaway;
    private int owedConnectionCredit; // bytes of final DATA frames not yet returned to the connection window
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false); // the server's HPACK table lives as long as the connection

    /** Whether the server sent a graceful GOAWAY while stream 1 was being served. */
    public boolean sawGoaway() { return goaway; }

    /**
     * Reads until {@code stream}'s first interim (1xx) response, such as the 100 that invites a body
     * after {@code expect: 100-continue}, and returns it; or its final response when none comes first.
     */
    public Result interim(int stream) throws Exception { return read(stream, true); }

    private Result read(int want) throws Exception { return read(want, false); }

    private Result read(int want, boolean interim) throws Exception {
        Http2Headers headers = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
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
                    if (stream == want) return new Result(0, headers, body.toString(StandardCharsets.UTF_8), java.nio.ByteBuffer.wrap(payload).getInt(), false);
                }
                case HEADERS -> {
                    if (stream == want && headers == null) {
                        Http2Headers h = decoder.decodeHeaders(want, Unpooled.wrappedBuffer(payload));
                        boolean informational = h.status() != null && h.status().charAt(0) == '1';
                        if (informational && interim) return done(h, body);
                        if (!informational) headers = h; // a final response follows an interim one
                    }
                    if (stream == want && (flags & 1) != 0) return done(headers, body);
                }
                case DATA -> {
                    if (stream == want) {
                        body.write(payload);
                        if ((flags & 1) != 0) {
                            owedConnectionCredit += length;
                            return done(headers, body);
                        } // stream ended: no window to reopen, and a
                                                                          // draining server may already have closed
                        if (length > 0) {
                            frame(WINDOW_UPDATE, 0, 0, java.nio.ByteBuffer.allocate(4).putInt(length).array());
                            frame(WINDOW_UPDATE, 0, want, java.nio.ByteBuffer.allocate(4).putInt(length).array());
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

    /** Reads until the end of {@code stream}'s response (answering SETTINGS and PING, returning flow-control credit). */
    public Result response(int stream) throws Exception { return read(stream); }

    /** Sends and flushes one frame; safe while another thread reads ({@link #response} answers frames too). */
    public void sendNow(int type, int flags, int stream, byte[] payload) throws IOException { frame(type, flags, stream, payload); }

    /**
     * Reads without answering anything (no WINDOW_UPDATE: a client that does not read) until
     * {@code stream} is reset, and returns the RST_STREAM code; -1 at GOAWAY or end of connection.
     */
    public int awaitReset(int stream) throws IOException {
        try {
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                in.readUnsignedByte();
                int id = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                if (type == RST_STREAM && id == stream) return java.nio.ByteBuffer.wrap(payload).getInt();
                if (type == GOAWAY) return -1;
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return -1;
        }
    }

    private synchronized void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type, (byte) flags,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(head);
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() throws IOException { socket.close(); }
}
