package dev.bulwark.core.challenge;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the browser worker's SHA-256 and search under node and checks them against the server's Java. */
class ChallengeScriptTest {
    @Test
    void workerHashesAndSolvesExactlyAsTheServerChecks(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        Path script = dir.resolve("challenge.js");
        Files.write(script, ChallengePage.SCRIPT);
        SecureRandom r = new SecureRandom();
        List<byte[]> nonces = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] n = new byte[16];
            r.nextBytes(n);
            nonces.add(n);
        }
        long[] counters = {0, 1, 255, 65_536, 4_294_967_295L, 4_294_967_296L, 123_456_789_012L, (1L << 53) - 1};
        StringBuilder js = new StringBuilder("const c = require(process.argv[2]);\nconst out = new Int32Array(8);\n"
                + "const hex = w => Array.from(w, x => (x >>> 0).toString(16).padStart(8, '0')).join('');\n");
        for (byte[] n : nonces) {
            String h = HexFormat.of().formatHex(n);
            for (long k : counters) {
                js.append("console.log(hex(c.digest24(c.nonceWords('").append(h).append("'), Math.floor(").append(k)
                  .append(" / 4294967296) | 0, ").append(k).append(" | 0, out)));\n");
            }
            js.append("console.log('found ' + c.search(c.nonceWords('").append(h).append("'), 12, 0, 1, 1 << 24));\n");
            js.append("console.log('strided ' + c.search(c.nonceWords('").append(h).append("'), 10, 3, 4, 1 << 24));\n");
        }
        Path harness = dir.resolve("harness.js");
        Files.writeString(harness, js);
        List<String> lines = run(harness, script);

        List<String> expected = new ArrayList<>();
        for (byte[] n : nonces) {
            for (long k : counters) expected.add(HexFormat.of().formatHex(ProofOfWork.digest(n, k)));
            expected.add("found " + PowSolver.solve(n, 12));
            expected.add("strided " + PowSolver.solve(n, 10, 3, 4, 1 << 24));
        }
        assertThat(lines).containsExactlyElementsOf(expected);
    }

    @Test
    void workerRoleAnswersThePageProtocol(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        Path script = dir.resolve("challenge.js");
        Files.write(script, ChallengePage.SCRIPT);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String hex = HexFormat.of().formatHex(nonce);
        // Load the file as a browser Worker would: a global `self`, no `document`, no `module`.
        String js = "const vm = require('vm'); const fs = require('fs');\n"
                + "const sent = []; const self = { postMessage: m => sent.push(m) };\n"
                + "const ctx = vm.createContext({ self: self, Int32Array: Int32Array, Math: Math });\n"
                + "vm.runInContext(fs.readFileSync(process.argv[2], 'utf8'), ctx);\n"
                + "self.onmessage({ data: { nonce: '" + hex + "', difficulty: 14, start: 1, step: 2 } });\n"
                + "const last = sent[sent.length - 1];\n"
                + "console.log('found ' + last.found);\n"
                + "console.log('progress ' + sent.slice(0, -1).every(m => m.tried > 0));\n";
        Path harness = dir.resolve("worker-harness.js");
        Files.writeString(harness, js);
        assertThat(run(harness, script)).containsExactly("found " + PowSolver.solve(nonce, 14, 1, 2, 1 << 26), "progress true");
    }

    /**
     * The page role against a fake DOM: it reads the puzzle the server rendered, runs the
     * worker role (this same file) in separate contexts, and navigates to a verify URL whose
     * answer the server accepts.
     */
    @Test
    void pageRoleSolvesARealInterstitialAndNavigatesToVerify(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        Path script = dir.resolve("challenge.js");
        Files.write(script, ChallengePage.SCRIPT);
        dev.bulwark.core.time.ManualClock clock = new dev.bulwark.core.time.ManualClock();
        InMemoryKeyRing ring = new InMemoryKeyRing(clock);
        ChallengeEndpoints endpoints = new ChallengeEndpoints(ring, clock);
        ChallengeRules rules = ChallengeRules.compile(new dev.bulwark.core.config.ChallengeConfig(12, null, null, null, null, null, null));
        dev.bulwark.core.request.SimpleRequestFacts visitor = new dev.bulwark.core.request.SimpleRequestFacts()
                .client(Fixtures.ip("192.0.2.8")).zone("shop", false).uri("/deep/link?q=1")
                .header("User-Agent", Fixtures.UA).header("Sec-Fetch-Mode", "navigate");
        String html = endpoints.interstitial(visitor, rules, 0, "r-1").bodyText();
        StringBuilder attrs = new StringBuilder("{");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" (data-[a-z-]+)=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            if (attrs.length() > 1) attrs.append(',');
            attrs.append('"').append(m.group(1)).append("\":\"").append(m.group(2).replace("&amp;", "&")).append('"');
        }
        attrs.append('}');
        String js = """
                const vm = require('vm'); const fs = require('fs');
                const code = fs.readFileSync(process.argv[2], 'utf8');
                const attrs = %s;
                const box = { getAttribute: n => attrs[n] };
                const bar = { value: 0 }; const status = { textContent: '' };
                const document = { readyState: 'complete', addEventListener() {},
                  getElementById: id => ({ 'bulwark-challenge': box, 'bulwark-progress': bar, 'bulwark-status': status })[id] };
                class FakeWorker {
                  constructor(url) {
                    if (url !== '/.well-known/bulwark/challenge.js') throw new Error('unexpected worker url ' + url);
                    this.dead = false;
                    const self = { postMessage: msg => setImmediate(() => { if (!this.dead) this.onmessage({ data: msg }); }) };
                    this.ctx = vm.createContext({ self: self, Int32Array: Int32Array, Math: Math });
                    vm.runInContext(code, this.ctx);
                    this.self = self;
                  }
                  postMessage(job) { setImmediate(() => this.self.onmessage({ data: job })); }
                  terminate() { this.dead = true; }
                }
                const location = { replace: url => { console.log('navigate ' + url); console.log('progress ' + bar.value); process.exit(0); } };
                vm.runInContext(code, vm.createContext({ document, navigator: { hardwareConcurrency: 4 }, Worker: FakeWorker,
                  location, Date, Math, Int32Array, setTimeout, console }));
                setTimeout(() => { console.log('no navigation; status: ' + status.textContent); process.exit(1); }, 20000);
                """.formatted(attrs);
        Path harness = dir.resolve("page-harness.js");
        Files.writeString(harness, js);
        List<String> out = run(harness, script);
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isEqualTo("progress 1");
        String url = out.get(0).substring("navigate ".length());
        assertThat(url).startsWith(ChallengeEndpoints.VERIFY_PATH + "?token=").contains("&counter=");
        ChallengeResponse verified = endpoints.handle(visitor.uri(url), rules, "r-2");
        assertThat(verified.status()).isEqualTo(303);
        assertThat(verified.header("Set-Cookie")).startsWith(Clearances.COOKIE_NAME + "=");
    }

    private static List<String> run(Path harness, Path script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", harness.toString(), script.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node did not finish in 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
