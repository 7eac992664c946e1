package dev.bulwark.control.trustsafety;

import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.challenge.FormChallenge;
import dev.bulwark.core.challenge.PowSolver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A public report must carry a solved puzzle, spent with the report: one solution, one report. */
class PublicReportPowTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backends() { return TestDatabases.backends(); }

    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) Chromium/140";
    private static final InetAddress CLIENT = address("192.0.2.40");

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static ReportSubmission report() {
        return new ReportSubmission("harassment", List.of("https://forum.example/t/3"), "a pile-on", null, null, null, false);
    }

    private static TrustSafety.Proof solved(FormChallenge.Puzzle p) {
        long c = PowSolver.solve(HexFormat.of().parseHex(p.nonceHex()), p.difficulty());
        return new TrustSafety.Proof(p.token(), Long.toString(c), CLIENT, UA);
    }

    private static List<String> refusedFields(Runnable r) {
        StoreException e = catchThrowableOfType(StoreException.class, r::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID);
        return e.errors().stream().map(FieldError::field).toList();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void oneSolutionLetsOneReportInAndARefusalStoresNothing(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            f.ts.settings(f.ts.settings().withFormDifficulty(10));
            long audit = f.count("audit_entry");
            // no puzzle at all: the bad field and the missing puzzle are reported together
            ReportSubmission bad = new ReportSubmission("harassment", List.of("https://forum.example/t/3"), "", null, null, null, false);
            assertThat(refusedFields(() -> f.ts.submit(bad, new TrustSafety.Proof(null, null, CLIENT, UA))))
                    .containsExactlyInAnyOrder("description", "pow");
            // a solved puzzle but a bad field: nothing stored, and the solution is not spent
            TrustSafety.Proof proof = solved(f.ts.reportPuzzle(CLIENT, UA));
            assertThat(refusedFields(() -> f.ts.submit(bad, proof))).containsExactly("description");
            assertThat(f.count("pow_redemption")).isZero();
            assertThat(f.count("abuse_report")).isZero();
            assertThat(f.count("audit_entry")).isEqualTo(audit);

            AbuseReport r = f.ts.submit(report(), proof);
            assertThat(f.ts.reports().find(r.id())).isPresent();
            assertThat(f.count("pow_redemption")).isEqualTo(1);
            long auditAfter = f.count("audit_entry");

            StoreException reused = catchThrowableOfType(StoreException.class, () -> f.ts.submit(report(), proof));
            assertThat(reused.errors()).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("pow");
                assertThat(e.reason()).contains("already used");
            });
            assertThat(f.count("abuse_report")).isEqualTo(1);
            assertThat(f.count("notification_outbox")).isZero();
            assertThat(f.count("audit_entry")).isEqualTo(auditAfter);
            assertThat(f.verify().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void expiredTooEasyOrWrongAnswersAreRefused(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            f.ts.settings(f.ts.settings().withFormDifficulty(8));
            TrustSafety.Proof easy = solved(f.ts.reportPuzzle(CLIENT, UA));
            TrustSafety.Proof late = solved(f.ts.reportPuzzle(CLIENT, UA));
            f.ts.settings(f.ts.settings().withFormDifficulty(10));
            assertThat(refusedFields(() -> f.ts.submit(report(), easy))).containsExactly("pow");

            TrustSafety.Proof spent = solved(f.ts.reportPuzzle(CLIENT, UA));
            f.ts.submit(report(), spent);
            f.clock.advance(TrustSafety.Settings.DEFAULT_PUZZLE_TTL);
            assertThat(refusedFields(() -> f.ts.submit(report(), late))).containsExactly("pow");
            // once expired, the spent nonce may be forgotten: the token itself is refused now
            assertThat(refusedFields(() -> f.ts.submit(report(), spent))).containsExactly("pow");
            TrustSafety.Proof fresh = solved(f.ts.reportPuzzle(CLIENT, UA));
            // another network cannot use this browser's solution
            assertThat(refusedFields(() -> f.ts.submit(report(), new TrustSafety.Proof(fresh.token(), fresh.counter(), address("203.0.113.9"), UA))))
                    .containsExactly("pow");
            f.ts.submit(report(), fresh);
            assertThat(f.count("pow_redemption")).as("the expired redemption was pruned").isEqualTo(1);
            assertThat(f.count("abuse_report")).isEqualTo(2);
        }
    }
}
