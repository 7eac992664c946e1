package dev.bulwark.it;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright, headless, with every background service that could
 * reach the network turned off, and the given hostnames resolved to 127.0.0.1 inside the browser
 * (no /etc/hosts edits, no DNS). Playwright gives each launch a fresh temporary profile.
 */
final class Chromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private final Playwright playwright;
    final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static boolean installed() { return Files.isExecutable(EXECUTABLE); }

    static Chromium launch(List<String> loopbackHosts) {
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            StringBuilder rules = new StringBuilder();
            for (String host : loopbackHosts) rules.append(rules.isEmpty() ? "" : ",").append("MAP ").append(host).append(" 127.0.0.1");
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(EXECUTABLE)
                    .setHeadless(true)
                    .setTimeout(30_000)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            // plain-HTTP test site: no automatic https:// attempt before the http:// one
                            "--disable-features=HttpsUpgrades",
                            "--host-resolver-rules=" + rules)));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
