package dev.bulwark.core.challenge;

import java.net.InetAddress;
import java.net.UnknownHostException;

final class Fixtures {
    static final String UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";

    private Fixtures() {}

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no DNS
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
