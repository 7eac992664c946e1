package dev.bulwark.it;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.trustsafety.AbuseReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The public abuse form as a reporter meets it: Debian's Chromium (headless, through Playwright)
 * against a real control plane over HTTP. The page's Web Worker solves the form's proof of work
 * (default 16 bits) under the page's strict Content-Security-Policy, the send button comes on, the
 * report is filed and its id shown. Without JavaScript the page says the form needs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AbuseFormBrowserTest {
    private static final double TIMEOUT_MS = PublicFormSite.SOLVE_TIMEOUT_MS;

    private PublicFormSite site;
    private ControlPlane cp;
    private Chromium chromium;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's Chromium is not at " + Chromium.EXECUTABLE + ": skipping the real-browser abuse form test");
        site = PublicFormSite.start();
        cp = site.cp;
        chromium = site.chromium;
    }

    @AfterAll
    void stop() {
        if (site != null) site.close();
    }

    @Test
    void aReporterFillsInTheFormTheWorkerSolvesThePuzzleAndTheReportIsFiled() {
        try (BrowserContext context = chromium.browser.newContext()) {
            Page page = context.newPage();
            List<String> problems = PublicFormSite.problems(page);
            long began = System.nanoTime();
            page.navigate(site.url("/abuse?url=https://forum.example/t/42"));
            assertThat(page.title()).isEqualTo("Report abuse");
            assertThat(page.inputValue("#urls")).isEqualTo("https://forum.example/t/42");

            page.selectOption("#category", "harassment");
            page.fill("#description", "A user is being targeted in this thread.");
            page.check("input[name=forward_to_owner]");
            page.waitForSelector("#send:not([disabled])", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
            long solveMs = (System.nanoTime() - began) / 1_000_000;
            String token = page.inputValue("input[name=pow_token]");
            String counter = page.inputValue("#pow_counter");
            assertThat(counter).matches("\\d+");
            assertThat(page.textContent("#bulwark-status")).contains("Anti-spam check done");

            page.waitForNavigation(() -> page.click("#send"));
            assertThat(page.title()).isEqualTo("Report received");
            String body = page.textContent("body");
            Matcher id = Pattern.compile("rep_[0-9a-f]{20}").matcher(body);
            assertThat(id.find()).as(body).isTrue();
            AbuseReport stored = cp.trustSafety().reports().find(id.group()).orElseThrow();
            assertThat(stored.zoneId()).isEqualTo("forum");
            assertThat(stored.urls()).containsExactly("https://forum.example/t/42");
            assertThat(stored.forwardToOwner()).isTrue();
            assertThat(problems).as("console errors (a CSP violation would show here)").isEmpty();
            System.out.println("ABUSE_FORM_SOLVE_MS " + solveMs + " (16 bits, from opening the page to the button coming on)");

            // a second report sent with the spent answer (as a replaying script would): refused at the form, nothing stored
            page.navigate(site.url("/abuse?url=https://forum.example/t/43"));
            page.selectOption("#category", "other");
            page.fill("#description", "Trying to reuse a solved puzzle.");
            page.waitForSelector("#send:not([disabled])", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
            page.evalOnSelector("input[name=pow_token]", "(e, v) => { e.value = v; }", token);
            page.evalOnSelector("#pow_counter", "(e, v) => { e.value = v; }", counter);
            page.waitForNavigation(() -> page.click("#send"));
            assertThat(page.textContent(".err")).contains("Anti-spam check").contains("already used");
            assertThat(page.inputValue("#description")).isEqualTo("Trying to reuse a solved puzzle.");
            assertThat(cp.trustSafety().reports().list("forum", null, 10)).hasSize(1);
            // the refused page carries a fresh puzzle, which the worker solves again: the report goes through
            page.waitForSelector("#send:not([disabled])", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
            page.waitForNavigation(() -> page.click("#send"));
            assertThat(page.title()).isEqualTo("Report received");
            assertThat(cp.trustSafety().reports().list("forum", null, 10)).hasSize(2);
        }
    }

    @Test
    void withoutJavaScriptThePageSaysTheFormNeedsIt() {
        try (BrowserContext context = chromium.browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setJavaScriptEnabled(false))) {
            Page page = context.newPage();
            page.navigate(site.url("/abuse"));
            assertThat(page.textContent("body")).contains("This form needs JavaScript");
            assertThat(page.isDisabled("#send")).isTrue();
        }
    }
}
