package dev.bulwark.control.trustsafety;

import dev.bulwark.control.audit.AuditEntry;
import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.challenge.FormChallenge;
import dev.bulwark.core.challenge.PowSolver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Appeals: a public one needs a solved appeal puzzle, spent with it (a report's puzzle does not
 * do); filing one tells the trust-and-safety team, deciding one tells the appellant; each
 * notification is in the outbox and on the audit record, in the appeal's own transaction.
 */
class AppealTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backends() { return TestDatabases.backends(); }

    private static final String UA = "appeal-test/1.0";
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    private static EnforcementAction blocked(TsFixture f) {
        AbuseReport dox = f.report("doxxing", "https://forum.example/t/3");
        return f.ts.act(f.alice, new ActionRequest("forum", "block_urls", List.of("https://forum.example/t/3"),
                "Personal address published.", false, null, List.of(dox.id())));
    }

    private static TrustSafety.Proof solved(FormChallenge.Puzzle p) {
        long c = PowSolver.solve(HexFormat.of().parseHex(p.nonceHex()), p.difficulty());
        return new TrustSafety.Proof(p.token(), Long.toString(c), CLIENT, UA);
    }

    private static FieldError refusedPow(Runnable r) {
        StoreException e = catchThrowableOfType(StoreException.class, r::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.errors()).singleElement().satisfies(x -> assertThat(x.field()).isEqualTo("pow"));
        return e.errors().get(0);
    }

    private static List<AuditEntry> notes(TsFixture f, EnforcementAction a) {
        return f.audit.newest("enforcement:" + a.id(), Long.MAX_VALUE, 100).stream().filter(e -> e.action().equals("appeal.notify")).toList();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aPublicAppealNeedsItsOwnSolvedPuzzleOnce(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            f.ts.settings(f.ts.settings().withFormDifficulty(10));
            EnforcementAction a = blocked(f);
            refusedPow(() -> f.ts.appeal(a.id(), "owner@forum.example", "the page is gone", new TrustSafety.Proof(null, null, CLIENT, UA)));
            // a report's puzzle is bound to the abuse form
            TrustSafety.Proof report = solved(f.ts.reportPuzzle(CLIENT, UA));
            assertThat(refusedPow(() -> f.ts.appeal(a.id(), "owner@forum.example", "the page is gone", report)).reason())
                    .contains("not issued by this server");
            assertThat(f.count("appeal")).isZero();
            assertThat(f.count("pow_redemption")).isZero();

            TrustSafety.Proof proof = solved(f.ts.appealPuzzle(CLIENT, UA));
            Appeal ap = f.ts.appeal(a.id(), "owner@forum.example", "the page is gone", proof);
            assertThat(f.count("pow_redemption")).isEqualTo(1);
            assertThat(refusedPow(() -> f.ts.appeal(a.id(), "owner@forum.example", "again", proof)).reason()).contains("already used");
            assertThat(f.ts.actions().appeals(a.id())).extracting(Appeal::id).containsExactly(ap.id());
            assertThat(f.audit.newest("enforcement:" + a.id(), Long.MAX_VALUE, 100)).filteredOn(e -> e.action().equals("appeal.file"))
                    .singleElement().satisfies(e -> assertThat(e.actor()).isEqualTo("appellant owner@forum.example"));
            assertThat(f.verify().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void filingTellsTheTeamAndTheDecisionTellsTheAppellant(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            f.ts.settings(f.ts.settings().withTeamContact("tns@bulwark.example"));
            EnforcementAction a = blocked(f);
            long before = f.count("notification_outbox");
            Appeal ap = f.ts.appeal("owner@forum.example", a.id(), "owner@forum.example", "the address was removed an hour later");

            List<Notification> sent = f.ts.outbox().list(null, 100);
            assertThat(sent).hasSize((int) before + 1);
            Notification team = sent.get(0);
            assertThat(team.kind()).isEqualTo("appeal");
            assertThat(team.recipient()).isEqualTo("tns@bulwark.example");
            assertThat(team.subject()).contains(ap.id()).contains("block_urls").contains("forum");
            assertThat(team.body()).contains(a.id()).contains("the address was removed an hour later").contains("owner@forum.example");
            assertThat(notes(f, a)).singleElement().satisfies(e -> assertThat(e.after()).contains(team.id()).contains("tns@bulwark.example"));

            // decided by an operator who neither proposed nor approved it; the appellant hears the outcome
            f.clock.advance(java.time.Duration.ofHours(2)); // the outbox lists newest first
            f.ts.decideAppeal(f.carol, ap.id(), true, "The address is gone; block lifted.");
            Notification answer = f.ts.outbox().list(null, 1).get(0);
            assertThat(answer.kind()).isEqualTo("appeal_decision");
            assertThat(answer.recipient()).isEqualTo("owner@forum.example");
            assertThat(answer.subject()).contains("reversed");
            assertThat(answer.body()).contains("The address is gone; block lifted.");
            assertThat(notes(f, a)).hasSize(2).anySatisfy(e -> {
                assertThat(e.actor()).isEqualTo(f.carol.actor());
                assertThat(e.after()).contains(answer.id());
            });

            // an appellant who left no address we can write to is not notified of the decision
            EnforcementAction again = blocked(f);
            Appeal anonymous = f.ts.appeal(again.id(), "the forum's moderators", "please review");
            long queued = f.count("notification_outbox");
            f.ts.decideAppeal(f.carol, anonymous.id(), false, "The page still shows the address.");
            assertThat(f.count("notification_outbox")).isEqualTo(queued);
            assertThat(f.verify().intact()).isTrue();
        }
    }
}
