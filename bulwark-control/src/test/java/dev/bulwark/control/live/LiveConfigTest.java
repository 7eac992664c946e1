package dev.bulwark.control.live;

import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.ConfigStoreTest;
import dev.bulwark.control.store.Database;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A commit made through one connection pool (standing in for another process) reaches the
 * bus of a node polling through a different pool within a second, in version order.
 */
class LiveConfigTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void commitsByAnotherProcessArriveWithinOneSecond(TestDatabases.Backend backend) {
        Database[] dbs = TestDatabases.openShared(backend, 2);
        try (Database writerDb = dbs[0]; Database edgeDb = dbs[1]) {
            ConfigStore writer = new ConfigStore(writerDb.jdbi(), Clock.SYSTEM, null, null);
            InMemorySnapshotBus edgeBus = new InMemorySnapshotBus();
            List<Long> seen = new CopyOnWriteArrayList<>();
            edgeBus.subscribe((v, c) -> seen.add(v));
            try (StorePoller poller = StorePoller.start(new ConfigStore(edgeDb.jdbi(), Clock.SYSTEM, null, edgeBus), edgeBus, Duration.ofMillis(250))) {
                await().atMost(Duration.ofSeconds(2)).until(() -> edgeBus.latest() != null);
                for (int i = 1; i <= 3; i++) {
                    long committedAt = System.nanoTime();
                    long version = writer.createZone("other-process", ConfigStoreTest.zone("z" + i, "z" + i + ".example", "http://127.0.0.1:1"), null).version();
                    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                            .until(() -> edgeBus.latest().version() == version);
                    assertThat(Duration.ofNanos(System.nanoTime() - committedAt)).isLessThan(Duration.ofSeconds(1));
                    assertThat(edgeBus.latest().config().zones()).extracting(ZoneConfig::id).contains("z" + i);
                }
                List<Long> sorted = new ArrayList<>(seen);
                sorted.sort(null);
                assertThat(seen).isEqualTo(sorted).doesNotHaveDuplicates();
                assertThat(poller.pollOnce()).isFalse(); // nothing new
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void writersInTwoProcessesNeverForkVersionsOrTheAuditChain(TestDatabases.Backend backend) throws Exception {
        Database[] dbs = TestDatabases.openShared(backend, 2);
        try (Database a = dbs[0]; Database b = dbs[1]) {
            ConfigStore[] stores = {new ConfigStore(a.jdbi(), Clock.SYSTEM, null, null), new ConfigStore(b.jdbi(), Clock.SYSTEM, null, null)};
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 6; i++) {
                        try {
                            stores[writer].createZone("writer" + writer,
                                    ConfigStoreTest.zone("w" + writer + "-" + i, "w" + writer + "-" + i + ".example", "http://127.0.0.1:1"), null);
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) t.join(60_000);
            assertThat(failures).isEmpty();
            assertThat(stores[0].latestVersion()).isEqualTo(12);
            assertThat(stores[1].snapshot().config().zones()).hasSize(12);
            var chain = new dev.bulwark.control.audit.AuditChain(new dev.bulwark.control.audit.AuditLog(a.jdbi())).verify();
            assertThat(chain.intact()).isTrue();
            assertThat(chain.entriesChecked()).isEqualTo(12);
        }
    }
}
