package dev.bulwark.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a
 * single address. Parsing never does DNS: only literal addresses are accepted.
 */
public record Cidr(byte[] network, int prefixLength) {
    public Cidr {
        network = mask(network, prefixLength);
    }

    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(addr);
        if (bytes == null) throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
            }
            if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("'" + text + "' prefix length must be 0.." + bits);
        }
        return new Cidr(bytes, prefix);
    }

    /** Parses a literal IPv4 or IPv6 address without any name lookup; null when it is not one. */
    public static byte[] literal(String addr) {
        if (addr.isEmpty()) return null;
        boolean v6 = addr.indexOf(':') >= 0;
        if (!v6) {
            String[] parts = addr.split("\\.", -1);
            if (parts.length != 4) return null;
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3) return null;
                for (int j = 0; j < p.length(); j++) if (!Character.isDigit(p.charAt(j))) return null;
                int v = Integer.parseInt(p);
                if (v > 255) return null;
                b[i] = (byte) v;
            }
            return b;
        }
        String a = addr.startsWith("[") && addr.endsWith("]") ? addr.substring(1, addr.length() - 1) : addr;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return null;
        }
        try {
            byte[] b = InetAddress.getByName(a).getAddress(); // literal only: validated above, no DNS
            if (b.length == 4) { // IPv4-mapped collapses to 4 bytes; keep the family the user wrote
                byte[] m = new byte[16];
                m[10] = (byte) 0xff; m[11] = (byte) 0xff;
                System.arraycopy(b, 0, m, 12, 4);
                return m;
            }
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(byte[] address) {
        if (address.length != network.length) return false;
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
        int rem = prefixLength % 8;
        if (rem == 0) return true;
        int m = (0xff << (8 - rem)) & 0xff;
        return (address[full] & m) == (network[full] & m);
    }

    public boolean contains(InetAddress address) { return contains(address.getAddress()); }

    public boolean isIpv4() { return network.length == 4; }

    private static byte[] mask(byte[] addr, int prefix) {
        byte[] b = Arrays.copyOf(addr, addr.length);
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] = (byte) (b[i] & ((0xff << (8 - keep)) & 0xff));
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(network) * 31 + prefixLength; }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
