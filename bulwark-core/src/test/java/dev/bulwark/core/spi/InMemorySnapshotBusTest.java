package dev.bulwark.core.spi;

import dev.bulwark.core.config.BulwarkConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class InMemorySnapshotBusTest {
    private static final BulwarkConfig EMPTY = new BulwarkConfig(null, null, null, null);

    @Test
    void deliversNewerVersionsOnlyAndCatchesUpLateSubscribers() throws Exception {
        InMemorySnapshotBus bus = new InMemorySnapshotBus();
        assertThat(bus.latest()).isNull();
        List<Long> early = new ArrayList<>();
        AutoCloseable sub = bus.subscribe((v, c) -> early.add(v));
        assertThat(bus.publish(1, EMPTY)).isTrue();
        assertThat(bus.publish(1, EMPTY)).isFalse();
        assertThat(bus.publish(3, EMPTY)).isTrue();
        assertThat(bus.publish(2, EMPTY)).as("older than what the bus holds").isFalse();
        assertThat(early).containsExactly(1L, 3L);

        List<Long> late = new ArrayList<>();
        bus.subscribe((v, c) -> late.add(v));
        assertThat(late).containsExactly(3L);

        sub.close();
        bus.publish(4, EMPTY);
        assertThat(early).containsExactly(1L, 3L);
        assertThat(late).containsExactly(3L, 4L);
        assertThat(bus.latest().version()).isEqualTo(4);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        InMemorySnapshotBus bus = new InMemorySnapshotBus();
        List<Long> seen = new ArrayList<>();
        bus.subscribe((v, c) -> { throw new IllegalStateException("broken edge"); });
        bus.subscribe((v, c) -> seen.add(v));
        bus.publish(1, EMPTY);
        assertThat(seen).containsExactly(1L);
    }

    @Test
    void concurrentPublishersNeverMakeAListenerGoBackwards() throws Exception {
        InMemorySnapshotBus bus = new InMemorySnapshotBus();
        List<Long> seen = new CopyOnWriteArrayList<>();
        bus.subscribe((v, c) -> seen.add(v));
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            Thread th = new Thread(() -> {
                try { go.await(); } catch (InterruptedException e) { return; }
                for (int i = 0; i < 500; i++) bus.publish(i * 4L + offset, EMPTY);
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) th.join(10_000);
        for (int i = 1; i < seen.size(); i++) assertThat(seen.get(i)).isGreaterThan(seen.get(i - 1));
        assertThat(bus.latest().version()).isEqualTo(seen.get(seen.size() - 1));
    }
}
