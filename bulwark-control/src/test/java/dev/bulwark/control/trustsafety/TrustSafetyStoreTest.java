package dev.bulwark.control.trustsafety;

import dev.bulwark.control.api.ApiException;
import dev.bulwark.control.audit.AuditEntry;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.config.EnforcementConfig;
import dev.bulwark.core.config.ZoneConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service against real stores: SQLite and embedded PostgreSQL. */
class TrustSafetyStoreTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backends() { return TestDatabases.backends(); }

    private static ZoneConfig zone(TsFixture f, String id) {
        return f.bus.latest().config().zones().stream().filter(z -> z.id().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> actions(TsFixture f) {
        List<String> out = new ArrayList<>();
        for (AuditEntry e : f.audit.page(0, 1000)) out.add(e.action());
        return out;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aReportIsStoredWithItsAuditEntryAndRoutedToOwnerAndReporter(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            f.ts.putContact(f.alice, new ZoneContact("forum", "owner@forum.example", null, "HostCo", "abuse@hostco.example", 0));
            AbuseReport r = f.ts.submit(new ReportSubmission("harassment", List.of("https://forum.example/t/7"), "a user is targeted",
                    "screenshots", "Rita", "rita@example.org", true));
            assertThat(f.ts.reports().find(r.id())).hasValueSatisfying(s -> {
                assertThat(s.zoneId()).isEqualTo("forum");
                assertThat(s.status()).isEqualTo(ReportStatus.RECEIVED);
                assertThat(s.reporterContact()).isEqualTo("rita@example.org");
            });
            List<Notification> out = f.ts.outbox().list(r.id(), 10);
            assertThat(out).extracting(Notification::kind).containsExactlyInAnyOrder("owner_forward", "reporter_hosting");
            Notification toOwner = out.stream().filter(n -> n.kind().equals("owner_forward")).findFirst().orElseThrow();
            assertThat(toOwner.recipient()).isEqualTo("owner@forum.example");
            assertThat(toOwner.body()).contains("https://forum.example/t/7").doesNotContain("rita@example.org");
            assertThat(out.stream().filter(n -> n.kind().equals("reporter_hosting")).findFirst().orElseThrow().body()).contains("abuse@hostco.example");
            assertThat(actions(f)).contains("abuse_report.create", "zone_contact.put");
            AuditEntry created = f.audit.newest("abuse-report:" + r.id(), Long.MAX_VALUE, 1).get(0);
            assertThat(created.after()).contains("\"category\":\"harassment\"").doesNotContain("rita");
            assertThat(f.verify().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aRefusedReportLeavesNothingBehind(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            long audit = f.count("audit_entry");
            assertThatThrownBy(() -> f.ts.submit(new ReportSubmission("csam", List.of("https://forum.example/x"), "x", null, null, null, true)))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> f.ts.submit(new ReportSubmission("harassment", List.of("https://elsewhere.example/"), "x", null, null, null, null)))
                    .isInstanceOf(StoreException.class);
            assertThat(f.count("abuse_report")).isZero();
            assertThat(f.count("notification_outbox")).isZero();
            assertThat(f.count("audit_entry")).isEqualTo(audit);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void terminationNeedsASecondOperatorAndReachesTheBus(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            AbuseReport threat = f.report("threat_to_life", "https://forum.example/t/9");
            ActionRequest req = new ActionRequest("forum", "terminate", null, "The forum organises threats against named people.", false,
                    "https://bulwark.example/statements/forum", List.of(threat.id()));
            assertThatThrownBy(() -> f.ts.act(f.victor, req)).isInstanceOf(ApiException.class);
            EnforcementAction proposed = f.ts.act(f.alice, req);
            assertThat(proposed.status()).isEqualTo(EnforcementAction.Status.PROPOSED);
            assertThat(zone(f, "forum").enforcement().terminated()).isFalse();

            assertThatThrownBy(() -> f.ts.approve(f.alice, proposed.id())).isInstanceOf(ApiException.class).hasMessageContaining("cannot approve");
            assertThatThrownBy(() -> f.ts.approve(f.victor, proposed.id())).isInstanceOf(ApiException.class);
            long versionBefore = f.store.latestVersion();
            f.clock.advance(Duration.ofMinutes(42));
            EnforcementAction applied = f.ts.approve(f.bob, proposed.id());
            assertThat(applied.status()).isEqualTo(EnforcementAction.Status.APPLIED);
            assertThat(applied.approvedById()).isEqualTo("bob");
            assertThat(f.store.latestVersion()).isEqualTo(versionBefore + 1);
            EnforcementConfig e = zone(f, "forum").enforcement();
            assertThat(e.terminated()).isTrue();
            assertThat(e.reason()).contains("threats against named people");
            assertThat(e.statementUrl()).isEqualTo("https://bulwark.example/statements/forum");
            assertThat(e.since()).isEqualTo("2026-09-01T08:42:00Z");
            assertThat(e.reportUrl()).isEqualTo("https://abuse.bulwark.example/abuse");
            assertThat(f.ts.reports().find(threat.id()).orElseThrow().status()).isEqualTo(ReportStatus.ACTIONED);
            assertThatThrownBy(() -> f.ts.approve(f.carol, proposed.id())).isInstanceOf(ApiException.class).hasMessageContaining("is applied");
            assertThat(actions(f)).contains("enforcement.propose", "enforcement.approve", "enforcement.terminate", "abuse_report.status");

            EnforcementAction restore = f.ts.restore(f.bob, "forum", null, "statement retracted after review");
            assertThat(restore.type()).isEqualTo(ActionType.RESTORE);
            assertThat(zone(f, "forum").enforcement().status()).isEqualTo(EnforcementConfig.Status.ACTIVE);
            assertThat(f.ts.actions().find(proposed.id()).orElseThrow().status()).isEqualTo(EnforcementAction.Status.REVERSED);
            assertThat(f.verify().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void restrictForcesTheChallengeAndRestorePutsBackTheOwnersSetting(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            assertThat(zone(f, "shop").challenge().underAttack()).isFalse();
            EnforcementAction r = f.ts.act(f.alice, new ActionRequest("shop", "restrict", null, "bot-driven scam traffic", null, null, null));
            assertThat(r.status()).isEqualTo(EnforcementAction.Status.APPLIED);
            assertThat(r.priorUnderAttack()).isFalse();
            ZoneConfig z = zone(f, "shop");
            assertThat(z.challenge().underAttack()).isTrue();
            assertThat(z.enforcement().status()).isEqualTo(EnforcementConfig.Status.RESTRICTED);
            assertThat(z.enforcement().cache()).isFalse();

            EnforcementAction block = f.ts.act(f.alice, new ActionRequest("shop", "block_urls", List.of("https://shop.example/fake/*"),
                    "counterfeit listings", true, null, null));
            assertThat(zone(f, "shop").enforcement().blocked("/fake/bag")).isNotNull();
            assertThatThrownBy(() -> f.ts.act(f.alice, new ActionRequest("shop", "block_urls", List.of("https://forum.example/x"), "x", null, null, null)))
                    .isInstanceOf(StoreException.class);

            f.ts.restore(f.alice, "shop", r.id(), "traffic back to normal");
            z = zone(f, "shop");
            assertThat(z.challenge().underAttack()).isFalse();
            assertThat(z.enforcement().status()).isEqualTo(EnforcementConfig.Status.ACTIVE);
            assertThat(z.enforcement().blocked("/fake/bag")).isNotNull();
            f.ts.restore(f.alice, "shop", block.id(), "listings removed");
            assertThat(zone(f, "shop").enforcement().blockedUrls()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anAppealIsDecidedByAThirdOperatorAndReversalRestores(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            AbuseReport rep = f.report("harassment", "https://forum.example/t/1");
            EnforcementAction proposed = f.ts.act(f.alice, new ActionRequest("forum", "terminate", null, "harassment campaign", false,
                    "https://bulwark.example/s/1", List.of(rep.id())));
            f.ts.approve(f.bob, proposed.id());
            Appeal appeal = f.ts.appeal(proposed.id(), "owner@forum.example", "the threads were removed");
            assertThatThrownBy(() -> f.ts.decideAppeal(f.bob, appeal.id(), true, "ok")).isInstanceOf(ApiException.class)
                    .hasMessageContaining("neither proposed nor approved");
            Appeal decided = f.ts.decideAppeal(f.carol, appeal.id(), true, "content removed; service restored");
            assertThat(decided.status()).isEqualTo(Appeal.Status.REVERSED);
            assertThat(zone(f, "forum").enforcement().terminated()).isFalse();
            assertThat(actions(f)).contains("appeal.file", "appeal.decide", "enforcement.reverse");
            assertThatThrownBy(() -> f.ts.decideAppeal(f.carol, appeal.id(), false, "again")).isInstanceOf(ApiException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void escalationAlertsAreStoredOncePerWindow(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            f.report("harassment", "https://forum.example/t/1");
            assertThat(f.ts.alerts().list("forum", 10)).isEmpty();
            f.clock.advance(Duration.ofMinutes(5));
            f.report("threat_to_life", "https://forum.example/t/2");
            List<EscalationAlert> alerts = f.ts.alerts().list("forum", 10);
            assertThat(alerts).extracting(EscalationAlert::window).containsExactlyInAnyOrder("1h", "24h", "48h");
            assertThat(alerts.get(0).summary()).contains("zone forum");
            f.clock.advance(Duration.ofMinutes(5));
            f.report("harassment", "https://forum.example/t/3");
            assertThat(f.ts.alerts().list("forum", 10)).hasSize(3);
            assertThat(actions(f)).contains("escalation.raise");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void notificationsAreRetriedWithBackoffUntilDelivered(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            f.ts.putContact(f.alice, new ZoneContact("forum", null, "https://hooks.forum.example/abuse", null, null, 0));
            f.ts.submit(new ReportSubmission("phishing", List.of("https://forum.example/login"), "fake login", null, null, null, true));
            AtomicInteger calls = new AtomicInteger();
            f.ts.notifier(n -> {
                if (calls.incrementAndGet() <= 2) throw new IllegalStateException("webhook down");
            });
            assertThat(f.ts.deliverNotifications()).isZero();
            assertThat(f.ts.deliverNotifications()).isZero(); // not due yet: backoff
            f.clock.advance(Duration.ofSeconds(31));
            assertThat(f.ts.deliverNotifications()).isZero(); // second failure, next in 60 s
            f.clock.advance(Duration.ofSeconds(61));
            assertThat(f.ts.deliverNotifications()).isEqualTo(1);
            Notification n = f.ts.outbox().list(null, 10).get(0);
            assertThat(n.deliveredAt()).isNotNull();
            assertThat(n.attempts()).isEqualTo(3);
            assertThat(n.lastError()).contains("webhook down");
            assertThat(calls.get()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theTransparencyReportIsComputedFromTheRecord(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            f.report("harassment", "https://forum.example/t/1");
            f.report("harassment", "https://forum.example/t/2");
            AbuseReport threat = f.report("threat_to_life", "https://forum.example/t/3");
            f.ts.submit(new ReportSubmission("copyright", List.of("https://shop.example/p"), "my photo", null, "Pat", "pat@example.org", false));
            f.clock.advance(Duration.ofMinutes(30));
            EnforcementAction p = f.ts.act(f.alice, new ActionRequest("forum", "terminate", null, "threats", false, "https://b.example/s", List.of(threat.id())));
            f.clock.advance(Duration.ofMinutes(30));
            f.ts.approve(f.bob, p.id());
            f.ts.act(f.alice, new ActionRequest("shop", "warn", null, "copyright complaints", null, null, null));
            f.ts.putStatement(f.owner, "legal-requests", "Legal requests", "We publish every court order we act on.");
            assertThatThrownBy(() -> f.ts.putStatement(f.alice, "x", "t", "b")).isInstanceOf(ApiException.class);

            TransparencyReport r = f.ts.transparency(ReportPeriod.parse("2026-H2"));
            assertThat(r.reportsReceived()).isEqualTo(4);
            assertThat(r.reportsByCategory()).containsEntry("harassment", 2).containsEntry("threat_to_life", 1).containsEntry("copyright", 1)
                    .containsEntry("csam", 0);
            assertThat(r.actionsByType()).containsEntry("terminate", 1).containsEntry("warn", 1).containsEntry("restore", 0);
            assertThat(r.zonesAffected()).isEqualTo(2);
            assertThat(r.medianMinutesThreatToAction()).isEqualTo(60.0);
            assertThat(r.statements()).extracting(StandingStatement::title).containsExactly("Legal requests");
            assertThat(r.auditHead()).isEqualTo(f.verify().lastHash());
            assertThat(f.ts.transparency(ReportPeriod.parse("2026-H1")).reportsReceived()).isZero();
        }
    }
}
