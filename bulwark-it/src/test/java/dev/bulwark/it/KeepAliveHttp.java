package dev.bulwark.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 keep-alive client over one socket, for load that names its own Host header
 * (java.net.http will not) and binds a chosen loopback source address. Reconnects only when the
 * server said {@code Connection: close}; any other broken connection is the caller's failure.
 */
final class KeepAliveHttp implements AutoCloseable {
    record Response(int status, Map<String, String> headers, String body) {}

    private final InetSocketAddress to;
    private final InetAddress from;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveHttp(InetSocketAddress to, String fromAddress) throws IOException {
        this.to = to;
        this.from = fromAddress == null ? null : InetAddress.getByName(fromAddress);
    }

    Response get(String host, String path) throws IOException {
        if (socket == null) connect();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        if (status == null || !status.startsWith("HTTP/1.1 ")) throw new IOException("bad status line: " + status);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                b.write(in.readNBytes(size));
                line();
            }
            line();
            body = b.toByteArray();
        } else {
            body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        if ("close".equalsIgnoreCase(headers.get("connection"))) close();
        return new Response(Integer.parseInt(status.substring(9, 12)), headers, new String(body, StandardCharsets.UTF_8));
    }

    private void connect() throws IOException {
        socket = new Socket();
        if (from != null) socket.bind(new InetSocketAddress(from, 0));
        socket.connect(to, 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') return b.toString().endsWith("\r") ? b.substring(0, b.length() - 1) : b.toString();
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
    }
}
