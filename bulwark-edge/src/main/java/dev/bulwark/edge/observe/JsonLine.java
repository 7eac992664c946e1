package dev.bulwark.edge.observe;

/** Builds one flat JSON object without a library: the access log writes one per request. */
public final class JsonLine {
    private final StringBuilder sb = new StringBuilder(256).append('{');

    public JsonLine field(String name, String value) {
        key(name);
        if (value == null) {
            sb.append("null");
        } else {
            sb.append('"');
            escape(sb, value);
            sb.append('"');
        }
        return this;
    }

    public JsonLine field(String name, long value) {
        key(name);
        sb.append(value);
        return this;
    }

    private void key(String name) {
        if (sb.length() > 1) sb.append(',');
        sb.append('"').append(name).append("\":");
    }

    @Override
    public String toString() { return sb + "}"; }

    static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
    }
}
