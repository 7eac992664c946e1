package dev.bulwark.control.trustsafety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.control.audit.AuditChain;
import dev.bulwark.control.audit.AuditEntry;
import dev.bulwark.control.store.TestDatabases;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook notifier against a real HTTP server, tamper detection on T&S entries, and racing approvals. */
class NotificationAndAuditTest {
    @Test
    void theWebhookNotifierPostsJsonAndAFailingHookIsRetried() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/abuse", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + " key=" + ex.getRequestHeaders().getFirst("Idempotency-Key"));
            int status = calls.incrementAndGet() == 1 ? 503 : 204;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        hook.start();
        try (TsFixture f = new TsFixture(TestDatabases.Backend.SQLITE)) {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/abuse";
            f.ts.putContact(f.alice, new ZoneContact("forum", null, url, null, null, 0));
            f.ts.notifier(new WebhookNotifier(null, Duration.ofSeconds(5)));
            AbuseReport r = f.ts.submit(new ReportSubmission("malware", List.of("https://forum.example/x.exe"), "drive-by download", null, null, null, true));
            assertThat(f.ts.deliverNotifications()).isZero();
            f.clock.advance(Duration.ofSeconds(30));
            assertThat(f.ts.deliverNotifications()).isEqualTo(1);
            assertThat(bodies).hasSize(2);
            JsonNode sent = new ObjectMapper().readTree(bodies.get(1).substring(0, bodies.get(1).lastIndexOf(" key=")));
            assertThat(sent.get("kind").asText()).isEqualTo("owner_forward");
            assertThat(sent.get("report_id").asText()).isEqualTo(r.id());
            assertThat(sent.get("body").asText()).contains("https://forum.example/x.exe");
            String id = f.ts.outbox().list(r.id(), 1).get(0).id();
            assertThat(bodies).allMatch(b -> b.endsWith(" key=" + id));
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void aNotificationWithoutWebhookFailsUntilItIsGivenUp() throws Exception {
        try (TsFixture f = new TsFixture(TestDatabases.Backend.SQLITE)) {
            f.ts.putContact(f.alice, new ZoneContact("forum", "owner@forum.example", null, null, null, 0));
            f.ts.notifier(new WebhookNotifier(null, Duration.ofSeconds(1)));
            f.ts.submit(new ReportSubmission("phishing", List.of("https://forum.example/login"), "fake login", null, null, null, true));
            for (int i = 0; i < 8; i++) {
                f.ts.deliverNotifications();
                f.clock.advance(Duration.ofHours(1));
            }
            Notification n = f.ts.outbox().list(null, 1).get(0);
            assertThat(n.failedAt()).isNotNull();
            assertThat(n.attempts()).isEqualTo(8);
            assertThat(f.ts.outbox().due(f.clock.currentTimeMillis() + Duration.ofDays(1).toMillis(), 10)).isEmpty();
        }
    }

    @Test
    void alteringAStoredReportEntryIsCaughtByVerify() {
        try (TsFixture f = new TsFixture(TestDatabases.Backend.SQLITE)) {
            AbuseReport r = f.report("doxxing", "https://forum.example/t/3");
            f.report("harassment", "https://forum.example/t/4");
            AuditEntry created = f.audit.newest("abuse-report:" + r.id(), Long.MAX_VALUE, 1).get(0);
            assertThat(f.verify().intact()).isTrue();
            // someone downgrades the category in the audit copy to hide how serious the report was
            f.db.jdbi().useHandle(h -> h.createUpdate("UPDATE audit_entry SET after_state = :s WHERE id = :id")
                    .bind("s", created.after().replace("doxxing", "doxxinG")).bind("id", created.id()).execute());
            AuditChain.Verification v = f.verify();
            assertThat(v.intact()).isFalse();
            assertThat(v.firstAlteredId()).isEqualTo(created.id());
        }
    }

    @Test
    void twoOperatorsApprovingAtOnceApplyTheTerminationOnce() throws Exception {
        try (TsFixture f = new TsFixture(TestDatabases.Backend.SQLITE)) {
            AbuseReport r = f.report("threat_to_life", "https://forum.example/t/1");
            EnforcementAction p = f.ts.act(f.alice, new ActionRequest("forum", "terminate", null, "threats", false, "https://b.example/s", List.of(r.id())));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            try {
                Future<?> a = pool.submit(() -> { go.await(); return f.ts.approve(f.bob, p.id()); });
                Future<?> b = pool.submit(() -> { go.await(); return f.ts.approve(f.carol, p.id()); });
                go.countDown();
                int ok = 0;
                for (Future<?> x : List.of(a, b)) {
                    try {
                        x.get(30, TimeUnit.SECONDS);
                        ok++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).hasMessageContaining("is applied");
                    }
                }
                assertThat(ok).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            long applies = f.audit.page(0, 1000).stream().filter(e -> e.action().equals("enforcement.approve")).count();
            assertThat(applies).isEqualTo(1);
            assertThat(f.verify().intact()).isTrue();
        }
    }
}
