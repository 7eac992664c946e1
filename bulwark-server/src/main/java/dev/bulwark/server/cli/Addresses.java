package dev.bulwark.server.cli;

import dev.bulwark.core.net.HostPort;

import java.net.InetSocketAddress;

final class Addresses {
    private Addresses() {}

    static String format(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return new HostPort(host, a.getPort()).toString();
    }
}
