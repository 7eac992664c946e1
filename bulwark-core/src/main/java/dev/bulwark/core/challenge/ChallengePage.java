package dev.bulwark.core.challenge;

import dev.bulwark.core.config.ChallengeConfig.Branding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Renders the interstitial and the few notice pages around it as self-contained HTML.
 *
 * <p>Design: nothing is loaded from elsewhere. The only script is {@code challenge.js},
 * served by the edge from the zone's own origin at {@link #SCRIPT_PATH} (page and worker
 * role in one file), so the Content-Security-Policy can say {@code script-src 'self';
 * worker-src 'self'} and forbid everything else. The one inline stylesheet carries the
 * zone's accent colour, so its SHA-256 is computed per page and named in {@code style-src}.
 * The progress widget is {@code hidden} until the script shows it, so a visitor without
 * JavaScript sees only the wait explanation.
 * Every page is {@code noindex} (meta and header) and must be sent with
 * {@code Cache-Control: no-store} (see {@link ChallengeEndpoints}). Zone texts are escaped;
 * a colour that is not a plain CSS colour falls back to the default.
 */
public final class ChallengePage {
    public static final String SCRIPT_PATH = "/.well-known/bulwark/challenge.js";

    public static final String DEFAULT_TITLE = "Checking your browser";
    public static final String DEFAULT_HEADING = "One moment, please";
    public static final String DEFAULT_MESSAGE = "This site checks that visitors are people before letting them in. "
            + "It takes a few seconds at most, then the page opens by itself.";
    public static final String DEFAULT_ACCENT = "#2563eb";
    public static final String DEFAULT_LOGO = "Bulwark";

    private static final Pattern COLOR = Pattern.compile(
            "#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|rgba?\\(\\s*\\d{1,3}\\s*,\\s*\\d{1,3}\\s*,\\s*\\d{1,3}\\s*(,\\s*(0|1|0?\\.\\d+)\\s*)?\\)");

    private static final String TEMPLATE = resource("page.html");
    private static final String CSS = resource("page.css");
    static final byte[] SCRIPT = resource("challenge.js").getBytes(StandardCharsets.UTF_8);

    /** {@code challenge.js} (page and worker roles), for other servers that show a puzzle, such as a form's. */
    public static byte[] script() { return SCRIPT.clone(); }

    private ChallengePage() {}

    /** A rendered page and the Content-Security-Policy it must be served with. */
    public record Page(String html, String contentSecurityPolicy) {}

    /**
     * What the interstitial shows.
     *
     * @param verifyUrl   where the script goes with the answer, ending in "?token=…" (the script adds "&amp;counter=")
     * @param waitUrl     the no-script route, redeemable after {@code waitSeconds}; null when the zone
     *                    requires JavaScript
     */
    public record Interstitial(String nonceHex, int difficulty, String verifyUrl, String waitUrl, long waitSeconds,
                               String requestId) {}

    /** The proof-of-work page with its no-script fallback. */
    public static Page render(Branding branding, Interstitial in) {
        return look(branding).render(in);
    }

    /** A zone's branding compiled once: the template with the zone's texts and stylesheet in place. */
    public static Look look(Branding branding) {
        return new Look(branding);
    }

    /**
     * The fixed parts of a zone's pages, built once per configuration snapshot, so serving a
     * challenge page to a flood is a few appends rather than template substitution and a
     * stylesheet hash per request.
     */
    public static final class Look {
        private final String beforeRefresh;
        private final String beforeHeading;
        private final String beforeContent;
        private final String beforeRequestId;
        private final String end;
        private final String heading;
        private final String message;
        private final String scriptPolicy;
        private final String noticePolicy;

        private Look(Branding b) {
            String css = CSS.replace("{{accent}}", accent(b.accentColor()));
            String html = TEMPLATE
                    .replace("{{lang}}", "en")
                    .replace("{{title}}", escape(text(b.title(), DEFAULT_TITLE)))
                    .replace("{{logo}}", escape(text(b.logoText(), DEFAULT_LOGO)))
                    .replace("{{css}}", css);
            int r = html.indexOf("{{refresh}}");
            int h = html.indexOf("{{heading}}");
            int c = html.indexOf("{{content}}");
            int q = html.indexOf("{{requestId}}");
            if (r < 0 || h < r || c < h || q < c) throw new IllegalStateException("page.html placeholders out of order");
            beforeRefresh = html.substring(0, r);
            beforeHeading = html.substring(r + "{{refresh}}".length(), h);
            beforeContent = html.substring(h + "{{heading}}".length(), c);
            beforeRequestId = html.substring(c + "{{content}}".length(), q);
            end = html.substring(q + "{{requestId}}".length());
            heading = escape(text(b.heading(), DEFAULT_HEADING));
            message = escape(text(b.message(), DEFAULT_MESSAGE));
            String style = "style-src 'sha256-" + sha256Base64(css) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            scriptPolicy = "default-src 'none'; script-src 'self'; worker-src 'self'; " + style;
            noticePolicy = "default-src 'none'; " + style;
        }

        /** The proof-of-work page with its no-script fallback. */
        public Page render(Interstitial in) {
            long wait = Math.max(1, in.waitSeconds());
            boolean fallback = in.waitUrl() != null;
            String waitUrl = fallback ? escape(in.waitUrl()) : "";
            StringBuilder sb = new StringBuilder(6144);
            sb.append(beforeRefresh);
            if (fallback) {
                sb.append("<noscript><meta http-equiv=\"refresh\" content=\"").append(wait).append(";url=").append(waitUrl).append("\"></noscript>");
            }
            sb.append(beforeHeading).append(heading).append(beforeContent)
              .append("<p>").append(message).append("</p>\n")
              .append("<div id=\"bulwark-challenge\" hidden data-script=\"").append(SCRIPT_PATH)
              .append("\" data-nonce=\"").append(escape(in.nonceHex()))
              .append("\" data-difficulty=\"").append(in.difficulty())
              .append("\" data-verify-url=\"").append(escape(in.verifyUrl()));
            if (fallback) sb.append("\" data-wait-url=\"").append(waitUrl).append("\" data-wait-seconds=\"").append(wait);
            sb.append("\">\n")
              .append("<progress id=\"bulwark-progress\" max=\"1\" value=\"0\" aria-label=\"Progress of the check\"></progress>\n")
              .append("<p id=\"bulwark-status\" class=\"small\" aria-live=\"polite\">Starting the check\u2026</p>\n")
              .append("</div>\n");
            if (fallback) {
                sb.append("<noscript><p>JavaScript is turned off in this browser, so instead of the puzzle you only need to wait about ")
                  .append(wait).append(" seconds. The page then continues by itself; if it does not, <a href=\"").append(waitUrl)
                  .append("\">continue here</a> once the time is up.</p></noscript>\n");
            } else {
                sb.append("<noscript><p>JavaScript is turned off in this browser. Right now this site can only let visitors in "
                        + "after a short check that needs JavaScript; please turn it on for this site and reload the page.</p></noscript>\n");
            }
            sb.append("<p class=\"small\">The check needs cookies: a small cookie remembers that you passed, so you are not asked ")
              .append("again for a while.</p>\n")
              .append("<script src=\"").append(SCRIPT_PATH).append("\"></script>")
              .append(beforeRequestId).append(escape(in.requestId() == null ? "-" : in.requestId())).append(end);
            return new Page(sb.toString(), scriptPolicy);
        }

        /** A notice page: one explanation, one link, optionally following it after {@code refreshSeconds}. */
        public Page notice(Notice notice, String linkTarget, long refreshSeconds, String requestId) {
            String href = escape(linkTarget);
            StringBuilder sb = new StringBuilder(4096).append(beforeRefresh);
            if (refreshSeconds > 0) sb.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append(";url=").append(href).append("\">");
            sb.append(beforeHeading).append(escape(notice.heading)).append(beforeContent)
              .append("<p>").append(escape(notice.text)).append("</p>\n<p><a href=\"").append(href).append("\">")
              .append(escape(notice.link)).append("</a></p>")
              .append(beforeRequestId).append(escape(requestId == null ? "-" : requestId)).append(end);
            return new Page(sb.toString(), noticePolicy);
        }
    }

    /** Why a notice page is shown instead of the site. */
    public enum Notice {
        COOKIES_REFUSED("Cookies are needed to continue",
                "You passed the check, but your browser did not keep the cookie that remembers it, so the site would ask "
                        + "again on every page. Please allow cookies for this site (or leave private mode that blocks them), then try again.",
                "Try again"),
        WRONG_ANSWER("The check did not succeed",
                "The answer your browser sent was not correct. This can happen when the page was changed on its way to you. Please try once more.",
                "Try again"),
        EXPIRED("This check has expired",
                "The check was not completed in time, or your network changed while it ran. Please start again.",
                "Start again"),
        NETWORK_CHANGED("Your network changed during the check",
                "Your address moved to a different network while the check ran, for example through a VPN, a privacy relay "
                        + "or a switch between Wi-Fi and mobile data. The check is tied to your network, so it has to run again. "
                        + "If this keeps happening, a connection that keeps one address for a while will help.",
                "Try again"),
        INVALID("This link is not valid",
                "The check link is damaged or was made for another site. Please start again from the site's address.",
                "Go to the home page"),
        KEEP_WAITING("Almost there",
                "Please wait a few more seconds; the page continues by itself.",
                "Continue");

        final String heading;
        final String text;
        final String link;

        Notice(String heading, String text, String link) {
            this.heading = heading;
            this.text = text;
            this.link = link;
        }
    }

    /**
     * A page with one explanation and one link. With {@code refreshSeconds} > 0 the page
     * follows the link by itself after that many seconds (meta refresh, no script).
     */
    public static Page notice(Branding branding, Notice notice, String linkTarget, long refreshSeconds, String requestId) {
        return look(branding).notice(notice, linkTarget, refreshSeconds, requestId);
    }

    static String accent(String color) {
        return color != null && COLOR.matcher(color.strip()).matches() ? color.strip() : DEFAULT_ACCENT;
    }

    private static String text(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                case '{' -> sb.append("&#123;"); // keeps zone texts from reaching the template's placeholders
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String sha256Base64(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ChallengePage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource dev/bulwark/core/challenge/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
