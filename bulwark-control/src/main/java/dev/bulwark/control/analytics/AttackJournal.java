package dev.bulwark.control.analytics;

import dev.bulwark.control.store.AttackStore;
import dev.bulwark.core.observe.AttackRecord;
import dev.bulwark.core.observe.AttackRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes the edge's attack reports and writes them to the {@link AttackStore} on a thread of its
 * own, so the detectors' ticking thread never waits for the database. Reports of the same event
 * coalesce (only its latest state is written), and at most {@link #MAX_PENDING} events wait at
 * once; beyond that a new event is dropped and counted. A failed write is retried with the
 * event's next report or a second later.
 */
public final class AttackJournal implements AttackRecorder, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AttackJournal.class);
    static final int MAX_PENDING = 10_000;
    private static final long RETRY_MILLIS = 1000;

    private final AttackStore store;
    private final Map<String, AttackRecord> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    public AttackJournal(AttackStore store) {
        this.store = store;
        this.writer = Thread.ofPlatform().daemon().name("bulwark-attack-journal").start(this::run);
    }

    @Override
    public void report(AttackRecord event) {
        if (closed) return;
        if (pending.size() >= MAX_PENDING && !pending.containsKey(event.id())) {
            dropped.incrementAndGet();
            return;
        }
        pending.put(event.id(), event);
        wake.offer(Boolean.TRUE);
    }

    /** Events dropped because too many were waiting to be written. */
    public long dropped() { return dropped.get(); }

    /** Waits until every report made so far is written (or {@code timeout} passes); true when none is left. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            wake.offer(Boolean.TRUE);
            Thread.sleep(10);
        }
        return pending.isEmpty();
    }

    private void run() {
        while (!closed) {
            try {
                wake.poll(RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break; // closing
            }
            drain();
        }
    }

    private void drain() {
        for (Map.Entry<String, AttackRecord> e : pending.entrySet()) {
            AttackRecord r = e.getValue();
            try {
                store.put(r);
                pending.remove(e.getKey(), r); // a newer report of the event stays for the next round
            } catch (RuntimeException ex) {
                log.warn("storing attack event {} failed; retrying", r.id(), ex);
                return;
            }
        }
    }

    /** Writes what is pending, then stops. */
    @Override
    public void close() {
        closed = true;
        wake.offer(Boolean.TRUE); // no interrupt: it could break a JDBC call half way
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
        if (!pending.isEmpty()) log.warn("{} attack events were not stored before shutdown", pending.size());
    }
}
