package dev.bulwark.edge.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A byte-exact HTTP/1.1 client over a plain socket, for keep-alive and smuggling tests. */
public final class RawHttp implements AutoCloseable {
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(InetSocketAddress address) throws IOException {
        this(new Socket(address.getAddress(), address.getPort()));
    }

    public RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static Response exchange(InetSocketAddress address, String raw) throws IOException {
        try (RawHttp c = new RawHttp(address)) {
            c.send(raw);
            return c.read();
        }
    }

    public RawHttp send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public OutputStream output() { return out; }

    /** Reads the head of a response that has no body (an answer to HEAD). */
    public Response readHead() throws IOException { return read(true); }

    /** Reads one response (Content-Length, chunked, or until close). */
    public Response read() throws IOException { return read(false); }

    private Response read(boolean headOnly) throws IOException {
        String statusLine = line();
        if (statusLine == null) throw new IOException("connection closed before a response");
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int c = l.indexOf(':');
            headers.merge(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim(), (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headOnly) {
            return new Response(status, headers, "");
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                int size = Integer.parseInt(line().trim(), 16);
                if (size == 0) {
                    line();
                    break;
                }
                body.write(in.readNBytes(size));
                line();
            }
        } else if (status >= 200 && status != 204 && status != 304) {
            body.write(in.readAllBytes());
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /** True when the server closed the connection (EOF) within the socket timeout. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public void timeout(int millis) throws IOException { socket.setSoTimeout(millis); }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c < 0 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException { socket.close(); }
}
