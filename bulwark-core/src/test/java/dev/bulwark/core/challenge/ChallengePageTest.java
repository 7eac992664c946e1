package dev.bulwark.core.challenge;

import dev.bulwark.core.config.ChallengeConfig.Branding;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengePageTest {
    static final Branding PLAIN = new Branding(null, null, null, null, null);
    static final ChallengePage.Interstitial PUZZLE = new ChallengePage.Interstitial("00112233445566778899aabbccddeeff", 16,
            "/.well-known/bulwark/challenge/verify?token=abc", "/.well-known/bulwark/challenge/wait?token=def", 5, "req-42");

    @Test
    void pageIsSelfContainedUnderAStrictPolicy() {
        ChallengePage.Page page = ChallengePage.render(PLAIN, PUZZLE);
        String html = page.html();
        assertThat(html).doesNotContain("http://", "https://", "//cdn", "<img", "<link", "<iframe", "style=\"");
        assertThat(html).contains("<script src=\"/.well-known/bulwark/challenge.js\"></script>");
        assertThat(Pattern.compile("<script(?! src=\"/\\.well-known/bulwark/challenge\\.js\")").matcher(html).find())
                .as("no inline script").isFalse();
        assertThat(page.contentSecurityPolicy()).startsWith("default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'sha256-")
                .contains("frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*");
        // The style hash names exactly the inline stylesheet.
        Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
        assertThat(style.find()).isTrue();
        assertThat(page.contentSecurityPolicy()).contains("'sha256-" + ChallengePage.sha256Base64(style.group(1)) + "'");
    }

    @Test
    void pageIsNotIndexedAndCarriesThePuzzleAndTheRequestId() {
        String html = ChallengePage.render(PLAIN, PUZZLE).html();
        assertThat(html).contains("<meta name=\"robots\" content=\"noindex,nofollow,noarchive\">")
                .contains("data-nonce=\"00112233445566778899aabbccddeeff\"", "data-difficulty=\"16\"",
                        "data-verify-url=\"/.well-known/bulwark/challenge/verify?token=abc\"", "<progress", "req-42")
                .contains(ChallengePage.DEFAULT_TITLE, ChallengePage.DEFAULT_HEADING, ChallengePage.DEFAULT_ACCENT);
    }

    @Test
    void noScriptFallbackWaitsThenRefreshes() {
        String html = ChallengePage.render(PLAIN, PUZZLE).html();
        assertThat(html).contains("<noscript><meta http-equiv=\"refresh\" content=\"5;url=/.well-known/bulwark/challenge/wait?token=def\"></noscript>");
        assertThat(html).containsPattern("<noscript><p>JavaScript is turned off[^<]*about 5 seconds");
        assertThat(html).contains("<a href=\"/.well-known/bulwark/challenge/wait?token=def\">continue here</a>");
    }

    @Test
    void withoutTheWaitRouteThePageAsksForJavaScript() {
        ChallengePage.Interstitial noWait = new ChallengePage.Interstitial("00112233445566778899aabbccddeeff", 16,
                "/.well-known/bulwark/challenge/verify?token=abc", null, 5, "req-43");
        String html = ChallengePage.render(PLAIN, noWait).html();
        assertThat(html).doesNotContain("http-equiv=\"refresh\"", "data-wait-url", "challenge/wait")
                .contains("please turn it on for this site and reload");
    }

    @Test
    void brandingIsAppliedAndEscaped() {
        Branding b = new Branding("Acme <Shop>", "Hold on, \"friend\"", "We check {{css}} & more", "#ff6600", "ACME");
        ChallengePage.Page page = ChallengePage.render(b, PUZZLE);
        assertThat(page.html()).contains("<title>Acme &lt;Shop&gt;</title>", "Hold on, &quot;friend&quot;",
                "We check &#123;&#123;css}} &amp; more", "--accent:#ff6600", ">ACME</p>");
        assertThat(page.html()).doesNotContain(ChallengePage.DEFAULT_TITLE, "<Shop>");
        assertThat(page.contentSecurityPolicy()).isNotEqualTo(ChallengePage.render(PLAIN, PUZZLE).contentSecurityPolicy());
    }

    @Test
    void colourThatCouldEscapeTheStylesheetFallsBack() {
        assertThat(ChallengePage.accent("red}body{display:none")).isEqualTo(ChallengePage.DEFAULT_ACCENT);
        assertThat(ChallengePage.accent("</style><script>")).isEqualTo(ChallengePage.DEFAULT_ACCENT);
        assertThat(ChallengePage.accent("rgb(10, 20, 30)")).isEqualTo("rgb(10, 20, 30)");
        assertThat(ChallengePage.accent("teal")).isEqualTo("teal");
        assertThat(ChallengePage.accent(null)).isEqualTo(ChallengePage.DEFAULT_ACCENT);
    }

    @Test
    void noticePagesHaveNoScriptAndExplainInPlainWords() {
        ChallengePage.Page page = ChallengePage.notice(PLAIN, ChallengePage.Notice.COOKIES_REFUSED, "/basket?id=1&x=2", 0, "r-1");
        assertThat(page.html()).contains("allow cookies", "href=\"/basket?id=1&amp;x=2\"", "r-1", "noindex").doesNotContain("<script");
        assertThat(page.contentSecurityPolicy()).doesNotContain("script-src");
        ChallengePage.Page waiting = ChallengePage.notice(PLAIN, ChallengePage.Notice.KEEP_WAITING, "/w?token=t", 3, "r-2");
        assertThat(waiting.html()).contains("<meta http-equiv=\"refresh\" content=\"3;url=/w?token=t\">");
    }
}
