package dev.bulwark.control.trustsafety;

import dev.bulwark.control.api.ApiException;
import dev.bulwark.control.audit.AuditEntry;
import dev.bulwark.control.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A termination proposal that no second operator approves in time expires, on the record (manual clock). */
class ProposalExpiryTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backends() { return TestDatabases.backends(); }

    private static EnforcementAction propose(TsFixture f) {
        AbuseReport threat = f.report("threat_to_life", "https://forum.example/t/9");
        return f.ts.act(f.alice, new ActionRequest("forum", "terminate", null, "Threats against named people.", false,
                "https://bulwark.example/statements/forum", List.of(threat.id())));
    }

    private static List<AuditEntry> entries(TsFixture f, String actionId) {
        return f.audit.newest("enforcement:" + actionId, Long.MAX_VALUE, 100);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anUnapprovedTerminationExpiresAfter72HoursAndCanNoLongerBeApproved(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            EnforcementAction p = propose(f);
            assertThat(p.expiresAt()).isEqualTo(p.proposedAt() + Duration.ofHours(72).toMillis());

            f.clock.advance(Duration.ofHours(72).minusSeconds(1));
            assertThat(f.ts.expireProposals()).isEmpty();
            assertThat(f.ts.actions().find(p.id()).orElseThrow().status()).isEqualTo(EnforcementAction.Status.PROPOSED);

            f.clock.advance(Duration.ofSeconds(1));
            List<EnforcementAction> expired = f.ts.expireProposals();
            assertThat(expired).extracting(EnforcementAction::id).containsExactly(p.id());
            assertThat(f.ts.actions().find(p.id()).orElseThrow().status()).isEqualTo(EnforcementAction.Status.EXPIRED);
            assertThat(f.ts.expireProposals()).as("recorded once").isEmpty();

            AuditEntry e = entries(f, p.id()).get(0);
            assertThat(e.action()).isEqualTo("enforcement.expire");
            assertThat(e.actor()).isEqualTo("system");
            assertThat(e.before()).contains("\"status\":\"proposed\"");
            assertThat(e.after()).contains("\"status\":\"expired\"");

            assertThatThrownBy(() -> f.ts.approve(f.bob, p.id())).isInstanceOf(ApiException.class)
                    .hasMessageContaining("expired").hasMessageContaining("propose it again")
                    .satisfies(x -> assertThat(((ApiException) x).status()).isEqualTo(409));
            assertThat(zone(f).enforcement().terminated()).isFalse();
            assertThat(f.verify().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anApprovalAfterTheDeadlineRecordsTheExpiryEvenBeforeTheTimerRan(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            EnforcementAction p = propose(f);
            f.clock.advance(Duration.ofHours(73));
            assertThatThrownBy(() -> f.ts.approve(f.bob, p.id())).isInstanceOf(ApiException.class).hasMessageContaining("expired");
            assertThat(f.ts.actions().find(p.id()).orElseThrow().status()).isEqualTo(EnforcementAction.Status.EXPIRED);
            assertThat(entries(f, p.id())).extracting(AuditEntry::action).contains("enforcement.expire").doesNotContain("enforcement.approve");
            // a viewer's attempt changes nothing, not even the expiry record
            EnforcementAction q = propose(f);
            f.clock.advance(Duration.ofHours(73));
            assertThatThrownBy(() -> f.ts.approve(f.victor, q.id())).isInstanceOf(ApiException.class).hasMessageContaining("role viewer");
            assertThat(f.ts.actions().find(q.id()).orElseThrow().status()).isEqualTo(EnforcementAction.Status.PROPOSED);
            assertThat(f.verify().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theWindowIsConfiguredAndAnApprovalInTimeStillApplies(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            f.ts.settings(f.ts.settings().withProposalTtl(Duration.ofHours(4)));
            EnforcementAction p = propose(f);
            assertThat(p.expiresAt()).isEqualTo(p.proposedAt() + Duration.ofHours(4).toMillis());
            f.clock.advance(Duration.ofHours(3));
            assertThat(f.ts.approve(f.bob, p.id()).status()).isEqualTo(EnforcementAction.Status.APPLIED);
            f.clock.advance(Duration.ofHours(2));
            assertThat(f.ts.expireProposals()).as("an applied action never expires").isEmpty();
            assertThat(zone(f).enforcement().terminated()).isTrue();
            // actions that apply at once carry no deadline
            EnforcementAction warn = f.ts.act(f.alice, new ActionRequest("shop", "warn", null, "spam", false, null, List.of()));
            assertThat(warn.expiresAt()).isNull();
            assertThatThrownBy(() -> f.ts.settings(f.ts.settings().withProposalTtl(Duration.ZERO))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static dev.bulwark.core.config.ZoneConfig zone(TsFixture f) {
        return f.bus.latest().config().zones().stream().filter(z -> z.id().equals("forum")).findFirst().orElseThrow();
    }
}
