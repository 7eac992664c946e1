package dev.bulwark.control.trustsafety;

/**
 * Escaping and the shared frame of the public pages: self-contained, no third-party resources,
 * and no scripts except the public forms' puzzle script from this origin.
 */
public final class Html {
    /** No scripts, no external loads; forms post only to this origin. */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** The public forms (abuse report, appeal): as above plus this origin's puzzle script and its Web Worker. */
    static final String FORM_CSP = "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'unsafe-inline'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Html() {}

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Encodes text as one URL path segment ({@code /} and spaces included: {@code %2F}, {@code %20}). */
    public static String pathSegment(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<title>" + esc(title) + "</title><style>"
                + "body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}"
                + "label{display:block;margin-top:1rem;font-weight:600}input,select,textarea{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}"
                + "textarea{min-height:7rem}.err{color:#a40000}.note{color:#555;font-size:.9rem}button{margin-top:1.2rem;padding:.5rem 1.2rem;font:inherit}"
                + "table{border-collapse:collapse}td,th{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left}"
                + "</style></head><body>" + body + "</body></html>";
    }
}
