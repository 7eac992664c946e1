package dev.bulwark.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One HTTP/1.1 request over a plain socket, for headers java.net.http will not send (Host). */
public final class RawHttp {
    private RawHttp() {}

    /** Sends GET with {@code Connection: close} and returns the whole response as text. */
    public static String get(InetSocketAddress to, String host, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }
}
