package dev.bulwark.control.analytics;

/** The network prefix a client address is counted under: /24 for IPv4, /48 for IPv6. */
final class Prefixes {
    private Prefixes() {}

    static String of(String address) {
        if (address.indexOf(':') < 0) {
            int last = address.lastIndexOf('.');
            return last < 0 ? address : address.substring(0, last) + ".0/24";
        }
        String[] groups = expand(address);
        return groups == null ? address : groups[0] + ":" + groups[1] + ":" + groups[2] + "::/48";
    }

    /** The eight hextets of an IPv6 address (no zone id), or null when it is not one. */
    private static String[] expand(String a) {
        int pct = a.indexOf('%');
        if (pct >= 0) a = a.substring(0, pct);
        String[] out = new String[8];
        int dbl = a.indexOf("::");
        String[] head = dbl < 0 ? a.split(":") : a.substring(0, dbl).isEmpty() ? new String[0] : a.substring(0, dbl).split(":");
        String[] tail = dbl < 0 ? new String[0] : a.substring(dbl + 2).isEmpty() ? new String[0] : a.substring(dbl + 2).split(":");
        if (head.length + tail.length > 8) return null;
        java.util.Arrays.fill(out, "0");
        for (int i = 0; i < head.length; i++) out[i] = strip(head[i]);
        for (int i = 0; i < tail.length; i++) out[8 - tail.length + i] = strip(tail[i]);
        return out;
    }

    private static String strip(String h) {
        String s = h.replaceFirst("^0+(?=.)", "");
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
