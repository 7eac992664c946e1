package dev.bulwark.it;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.bulwark.control.trustsafety.Appeal;
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
 * The public appeal form as a site owner meets it: Debian's Chromium (headless, through
 * Playwright) against a real control plane over HTTP, for a restriction applied through the API.
 * The page shows the decision, its Web Worker solves the appeal's proof of work (default 16 bits)
 * under the page's strict Content-Security-Policy, a refused field brings the form back with the
 * typed text and a fresh puzzle, and the appeal is filed, its id shown and stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AppealFormBrowserTest {
    private static final double TIMEOUT_MS = PublicFormSite.SOLVE_TIMEOUT_MS;

    private PublicFormSite site;
    private String actionId;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's Chromium is not at " + Chromium.EXECUTABLE + ": skipping the real-browser appeal form test");
        site = PublicFormSite.start();
        String action = site.post("/api/v1/enforcement-actions",
                "{\"zone\":\"forum\",\"type\":\"restrict\",\"reason\":\"Automated sign-ups <spam> from this site.\"}");
        Matcher id = Pattern.compile("\"id\":\"(act_[0-9a-f]{20})\"").matcher(action);
        assertThat(id.find()).as(action).isTrue();
        actionId = id.group(1);
    }

    @AfterAll
    void stop() {
        if (site != null) site.close();
    }

    @Test
    void theOwnerSeesTheDecisionTheWorkerSolvesThePuzzleAndTheAppealIsFiled() {
        try (BrowserContext context = site.chromium.browser.newContext()) {
            Page page = context.newPage();
            List<String> problems = PublicFormSite.problems(page);
            long began = System.nanoTime();
            page.navigate(site.url("/appeal/" + actionId));
            assertThat(page.title()).isEqualTo("Appeal a decision");
            assertThat(page.textContent("table")).contains(actionId).contains("Restriction").contains("forum.example")
                    .contains("Automated sign-ups <spam> from this site.");

            // a statement of blanks passes the browser's "required" but not the server: the form comes back with the typed contact
            page.fill("#appellant", "owner@forum.example");
            page.fill("#statement", "   ");
            page.waitForSelector("#send:not([disabled])", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
            long solveMs = (System.nanoTime() - began) / 1_000_000;
            assertThat(page.textContent("#bulwark-status")).contains("Anti-spam check done");
            page.waitForNavigation(() -> page.click("#send"));
            assertThat(page.textContent(".err")).contains("statement: explain the appeal");
            assertThat(page.inputValue("#appellant")).isEqualTo("owner@forum.example");
            assertThat(site.cp.trustSafety().actions().appeals(actionId)).isEmpty();

            // the refused page carries a fresh puzzle, which the worker solves again: the appeal goes through
            page.fill("#statement", "We closed the sign-up form and removed the spam accounts.");
            page.waitForSelector("#send:not([disabled])", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
            page.waitForNavigation(() -> page.click("#send"));
            assertThat(page.title()).isEqualTo("Appeal received");
            String body = page.textContent("body");
            Matcher id = Pattern.compile("apl_[0-9a-f]{20}").matcher(body);
            assertThat(id.find()).as(body).isTrue();
            assertThat(body).contains("What happens next").contains("owner@forum.example");
            List<Appeal> stored = site.cp.trustSafety().actions().appeals(actionId);
            assertThat(stored).singleElement().satisfies(a -> {
                assertThat(a.id()).isEqualTo(id.group());
                assertThat(a.appellant()).isEqualTo("owner@forum.example");
                assertThat(a.statement()).isEqualTo("We closed the sign-up form and removed the spam accounts.");
                assertThat(a.status()).isEqualTo(Appeal.Status.OPEN);
            });
            long spent = site.cp.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pow_redemption").mapTo(Long.class).one());
            assertThat(spent).as("the refused submission spent nothing, the filed one its puzzle").isEqualTo(1);
            // Chromium logs the refused page's 422 as a failed load; anything else (a CSP violation) is a problem
            assertThat(problems).as("console errors (a CSP violation would show here)")
                    .containsExactly("Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)");
            System.out.println("APPEAL_FORM_SOLVE_MS " + solveMs + " (16 bits, from opening the page to the button coming on)");
        }
    }
}
