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

    private ChallengePage() {}

    /** A rendered page and the Content-Security-Policy it must be served with. */
    public record Page(String html, String contentSecurityPolicy) {}

    /**
     * What the interstitial shows.
     *
     * @param verifyUrl   where the script goes with the answer, ending in "?token=…" (the script adds "&amp;counter=")
     * @param waitUrl     the no-script route: redeemable after {@code waitSeconds}
     */
    public record Interstitial(String nonceHex, int difficulty, String verifyUrl, String waitUrl, long waitSeconds,
                               String requestId) {}

    /** The proof-of-work page with its no-script fallback. */
    public static Page render(Branding branding, Interstitial in) {
        long wait = Math.max(1, in.waitSeconds());
        String waitUrl = escape(in.waitUrl());
        String refresh = "<noscript><meta http-equiv=\"refresh\" content=\"" + wait + ";url=" + waitUrl + "\"></noscript>";
        String content = "<p>" + escape(text(branding.message(), DEFAULT_MESSAGE)) + "</p>\n"
                + "<div id=\"bulwark-challenge\" hidden data-script=\"" + SCRIPT_PATH + "\" data-nonce=\"" + escape(in.nonceHex())
                + "\" data-difficulty=\"" + in.difficulty() + "\" data-verify-url=\"" + escape(in.verifyUrl())
                + "\" data-wait-url=\"" + waitUrl + "\" data-wait-seconds=\"" + wait + "\">\n"
                + "<progress id=\"bulwark-progress\" max=\"1\" value=\"0\"></progress>\n"
                + "<p id=\"bulwark-status\" class=\"small\" aria-live=\"polite\">Starting the check\u2026</p>\n"
                + "</div>\n"
                + "<noscript><p>JavaScript is turned off in this browser, so instead of the puzzle you only need to wait about "
                + wait + " seconds. The page then continues by itself; if it does not, <a href=\"" + waitUrl
                + "\">continue here</a> once the time is up.</p></noscript>\n"
                + "<p class=\"small\">The check needs cookies: a small cookie remembers that you passed, so you are not asked "
                + "again for a while.</p>\n"
                + "<script src=\"" + SCRIPT_PATH + "\"></script>";
        return page(branding, refresh, content, in.requestId(), true);
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
        String href = escape(linkTarget);
        String refresh = refreshSeconds > 0 ? "<meta http-equiv=\"refresh\" content=\"" + refreshSeconds + ";url=" + href + "\">" : "";
        String content = "<p>" + escape(notice.text) + "</p>\n<p><a href=\"" + href + "\">" + escape(notice.link) + "</a></p>";
        return page(branding, refresh, content, requestId, false, notice.heading);
    }

    private static Page page(Branding b, String refresh, String content, String requestId, boolean script) {
        return page(b, refresh, content, requestId, script, text(b.heading(), DEFAULT_HEADING));
    }

    private static Page page(Branding b, String refresh, String content, String requestId, boolean script, String heading) {
        String css = CSS.replace("{{accent}}", accent(b.accentColor()));
        String html = TEMPLATE
                .replace("{{lang}}", "en")
                .replace("{{title}}", escape(text(b.title(), DEFAULT_TITLE)))
                .replace("{{css}}", css)
                .replace("{{logo}}", escape(text(b.logoText(), DEFAULT_LOGO)))
                .replace("{{heading}}", escape(heading))
                .replace("{{requestId}}", escape(requestId == null ? "-" : requestId))
                .replace("{{refresh}}", refresh)
                .replace("{{content}}", content);
        String csp = "default-src 'none'; " + (script ? "script-src 'self'; worker-src 'self'; " : "")
                + "style-src 'sha256-" + sha256Base64(css) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return new Page(html, csp);
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
