package dev.bulwark.control.store;

import dev.bulwark.control.analytics.AttackJournal;
import dev.bulwark.core.observe.AttackRecord;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attack events in the store, against both backends. */
class AttackStoreTest {
    private final ManualClock clock = new ManualClock();

    static AttackRecord event(String zone, long start, long end, double peak, String action) {
        return new AttackRecord(zone + "-" + start + "-1", zone, start, end, peak, 100, 400, 25,
                "http.request.uri.path in {\"/login\"}", List.of(), List.of("/login"), List.of(), List.of("curl/8.0"), action);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void laterReportsReplaceTheEventAndTheEndIsKept(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            AttackStore store = new AttackStore(db.jdbi(), clock);
            store.put(event("shop", 1_000, 0, 900, null));
            AttackRecord ongoing = store.list("shop", null, 10, null).items().getFirst();
            assertThat(ongoing.ongoing()).isTrue();
            assertThat(ongoing.action()).isNull();
            assertThat(ongoing.paths()).containsExactly("/login");
            assertThat(ongoing.userAgents()).containsExactly("curl/8.0");

            store.put(event("shop", 1_000, 0, 3_000, "block"));
            store.put(event("shop", 1_000, 61_000, 3_000, "block"));
            List<AttackRecord> all = store.list(null, null, 10, null).items();
            assertThat(all).hasSize(1);
            assertThat(all.getFirst()).isEqualTo(event("shop", 1_000, 61_000, 3_000, "block"));
            assertThat(all.getFirst().toJson()).containsEntry("ended_at", 61_000L).containsEntry("peak_rate", 3000.0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void listingsAreNewestFirstPagedAndScoped(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            AttackStore store = new AttackStore(db.jdbi(), clock);
            for (int i = 1; i <= 5; i++) store.put(event("shop", i * 1_000L, i * 1_000L + 500, 1000 + i, "block"));
            store.put(event("blog", 3_000, 0, 50, "challenge"));

            List<String> ids = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Page<AttackRecord> p = store.list(null, null, 2, cursor);
                p.items().forEach(e -> ids.add(e.id()));
                cursor = p.nextCursor();
                pages++;
            } while (cursor != null && pages < 10);
            assertThat(ids).containsExactly("shop-5000-1", "shop-4000-1", "shop-3000-1", "blog-3000-1", "shop-2000-1", "shop-1000-1");
            assertThat(pages).isEqualTo(3);

            assertThat(store.list("blog", null, 10, null).items()).extracting(AttackRecord::id).containsExactly("blog-3000-1");
            assertThat(store.list(null, Set.of("blog"), 10, null).items()).extracting(AttackRecord::zone).containsOnly("blog");
            assertThat(store.list("shop", Set.of("blog"), 10, null).items()).isEmpty();
            assertThat(store.list(null, Set.of(), 10, null).items()).isEmpty();
            assertThatThrownBy(() -> store.list(null, null, 10, "!!")).isInstanceOfSatisfying(StoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.BAD_PARAMETER));

            // the window of analytics: ongoing events and those that ended inside it
            assertThat(store.since("shop", 4_400, 10)).extracting(AttackRecord::id).containsExactly("shop-5000-1", "shop-4000-1");
            assertThat(store.since("blog", 1_000_000, 10)).extracting(AttackRecord::id).containsExactly("blog-3000-1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void theJournalWritesReportsOffTheCallersThreadAndKeepsTheLatest(TestDatabases.Backend backend) throws Exception {
        try (Database db = TestDatabases.open(backend)) {
            AttackStore store = new AttackStore(db.jdbi(), clock);
            try (AttackJournal journal = new AttackJournal(store)) {
                for (int peak = 1; peak <= 200; peak++) journal.report(event("shop", 1_000, 0, peak, "block"));
                journal.report(event("shop", 1_000, 9_000, 200, "block"));
                assertThat(journal.flush(Duration.ofSeconds(10))).isTrue();
                AttackRecord stored = store.list("shop", null, 10, null).items().getFirst();
                assertThat(stored.endMillis()).isEqualTo(9_000);
                assertThat(stored.peakRate()).isEqualTo(200);
                journal.report(event("blog", 2_000, 0, 10, null));
            }
            // close writes what was pending
            assertThat(store.list("blog", null, 10, null).items()).hasSize(1);
        }
    }
}
