package dev.bulwark.cluster.limit;

import dev.bulwark.core.spi.SharedCounters;
import dev.bulwark.core.time.Clock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@link SharedCounters} shared by every edge node through Redis.
 *
 * <p>Design: the request path never talks to Redis. Each {@link Window} keeps a fixed-size
 * table of the keys this node has counted recently: per key, the delta not yet sent and the
 * cluster totals Redis last reported for the current and previous fixed windows. A counting
 * call adds to the pending delta and answers
 * {@code previousTotal × (1 − elapsed/period) + currentTotal + pending} from that table — no
 * I/O, no allocation. Every {@code syncInterval} one background thread sends all pending deltas
 * in a single pipelined batch ({@code INCRBY} + {@code PEXPIRE} per key, plus {@code GET} of the
 * previous window for keys new to a window) on its own connection, and stores the totals the
 * replies carry. Other nodes' counts therefore arrive within about one sync interval (100 ms by
 * default); a burst can overshoot a limit by what the cluster sends in that time.
 *
 * <p>Windows are aligned to wall-clock time ({@code currentTimeMillis / period}) so all nodes
 * agree on them; Redis keys are {@code <namespace>:c:<periodMs>:<window>:<keyHash>} and expire
 * after two periods. Key hashes must be computed with the same {@code bulwark.keyhash.seed} on
 * every node. When the table is full, a key of an older window, or else the first probed key, is
 * replaced (its unsent delta is lost); size it for the keys a node sees per period.
 *
 * <p>When Redis is unreachable (commands fail fast: the cluster's client rejects them while
 * disconnected and times them out), a failed batch's deltas are folded into the slot's own
 * window totals: the node goes on limiting with what it sees itself, windows slide as usual, and
 * nothing accumulates for an outage of any length. Once Redis answers, the next batch brings the
 * cluster totals back (the larger of the local and cluster count wins within a window).
 */
public final class RedisSharedCounters implements SharedCounters, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSharedCounters.class);

    private final StatefulRedisConnection<String, String> connection;
    private final String namespace;
    private final int capacity;
    private final Clock clock;
    private final ConcurrentHashMap<Duration, RedisWindow> windows = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.atomic.AtomicLong updatesAcknowledged = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile int lastBatchSize;
    /** The last batch that sent anything; guarded by this. */
    private CompletableFuture<Void> lastSent = CompletableFuture.completedFuture(null);

    /**
     * @param client       Redis client; a dedicated connection is opened for the batches
     * @param namespace    prefix of every Redis key, e.g. "bulwark"
     * @param capacity     keys tracked per window (power of two, rounded up)
     * @param syncInterval how often deltas are sent; zero to send only on {@link #sync()}
     */
    public RedisSharedCounters(RedisClient client, String namespace, int capacity, Duration syncInterval, Clock clock) {
        if (capacity < 16 || capacity > 1 << 24) throw new IllegalArgumentException("counter table capacity must be 16..16777216, got " + capacity);
        this.connection = client.connect();
        this.connection.setAutoFlushCommands(false); // this connection only carries pipelined batches
        this.namespace = namespace;
        this.capacity = Integer.highestOneBit(capacity - 1) << 1;
        this.clock = clock;
        if (syncInterval.isZero()) {
            this.scheduler = null;
        } else {
            this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("bulwark-counter-sync").unstarted(r));
            long ms = Math.max(1, syncInterval.toMillis());
            scheduler.scheduleWithFixedDelay(this::syncQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Window window(Duration period) {
        if (period.toMillis() < 1) throw new IllegalArgumentException("shared counter period must be at least 1 ms, got " + period);
        return windows.computeIfAbsent(period, p -> new RedisWindow(p.toMillis()));
    }

    /** Sends all pending deltas now and completes when the totals are stored; exceptionally when Redis refused some. */
    public synchronized CompletableFuture<Void> sync() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        RedisAsyncCommands<String, String> redis = connection.async();
        for (RedisWindow w : windows.values()) all.addAll(w.send(redis));
        connection.flushCommands();
        lastBatchSize = all.size();
        CompletableFuture<Void> batch = CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
        if (!all.isEmpty()) lastSent = batch;
        return batch;
    }

    /**
     * Sends what is pending and completes once every batch sent so far is answered. Replies on the
     * one connection come in order, so the last batch that sent anything answers after all before
     * it; a count the background sync took a moment ago is covered even when this batch is empty.
     */
    private synchronized CompletableFuture<Void> syncAll() {
        sync();
        return lastSent;
    }

    /** Logs when syncing starts failing and when it works again, not at every interval. */
    private void syncQuietly() {
        try {
            sync().get(5, TimeUnit.SECONDS);
            if (lastBatchSize > 0 && failing.compareAndSet(true, false)) log.info("rate-limit counts reach Redis again: limits count the whole fleet");
        } catch (Exception e) {
            if (failing.compareAndSet(false, true)) {
                log.warn("shared counter sync failed ({}): limits count this node's requests only until Redis is back", e.toString());
            }
        }
    }

    /** Key updates Redis has acknowledged since start (a health figure for metrics). */
    public long updatesAcknowledged() { return updatesAcknowledged.get(); }

    @Override
    public void close() {
        if (scheduler != null) scheduler.shutdownNow();
        connection.close();
    }

    /**
     * Columns of one slot in the table, stride {@value #STRIDE}. {@code INFLIGHT} holds counts sent
     * to Redis and not yet acknowledged: they are in neither {@code PENDING} nor {@code CURRENT} until
     * the reply, and the local estimate must not drop them for that round trip.
     */
    private static final int KEY = 0, WINDOW = 1, CURRENT = 2, PREVIOUS = 3, PENDING = 4, UNSENT = 5, INFLIGHT = 6, STRIDE = 7;
    private static final int PROBE = 8;
    /** How long {@link Window#incrementAndGetSynced} waits for Redis before it answers locally. */
    private static final Duration SYNCED_WAIT = Duration.ofSeconds(1);

    private final class RedisWindow implements Window {
        final long periodMillis;
        final AtomicLongArray slots = new AtomicLongArray(capacity * STRIDE);

        RedisWindow(long periodMillis) { this.periodMillis = periodMillis; }

        @Override public Duration period() { return Duration.ofMillis(periodMillis); }

        @Override
        public long incrementAndGet(long keyHash, long delta) {
            long now = clock.currentTimeMillis();
            int s = claim(keyHash, now / periodMillis);
            if (s < 0) return delta;
            slots.addAndGet(s + PENDING, delta);
            return estimate(s, now);
        }

        @Override
        public long incrementAndGetSynced(long keyHash, long delta) {
            long local = incrementAndGet(keyHash, delta);
            try {
                syncAll().get(SYNCED_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // Redis did not take it: the count stays local, and so does the answer
            }
            return Math.max(get(keyHash), local); // after a reply: the fleet's total, this count included
        }

        @Override
        public long get(long keyHash) {
            int s = find(keyHash);
            return s < 0 ? 0 : estimate(s, clock.currentTimeMillis());
        }

        private long estimate(int s, long now) {
            long w = now / periodMillis;
            long sw = slots.get(s + WINDOW);
            long cur = slots.get(s + CURRENT), prev = slots.get(s + PREVIOUS);
            long pending = slots.get(s + PENDING) + slots.get(s + INFLIGHT);
            if (sw == w - 1) { prev = cur; cur = 0; }
            else if (sw != w) { prev = 0; cur = 0; }
            double remaining = 1.0 - (double) (now - w * periodMillis) / periodMillis;
            return (long) Math.ceil(prev * remaining) + cur + pending;
        }

        private int find(long keyHash) {
            int home = (int) (keyHash ^ (keyHash >>> 31)) & (capacity - 1);
            for (int i = 0; i < PROBE; i++) {
                int s = ((home + i) & (capacity - 1)) * STRIDE;
                if (slots.get(s + KEY) == keyHash) return s;
            }
            return -1;
        }

        /** The key's slot, taking a free or stale one when absent. */
        private int claim(long keyHash, long window) {
            int home = (int) (keyHash ^ (keyHash >>> 31)) & (capacity - 1);
            int stale = -1;
            long staleWindow = Long.MAX_VALUE;
            for (int i = 0; i < PROBE; i++) {
                int s = ((home + i) & (capacity - 1)) * STRIDE;
                long k = slots.get(s + KEY);
                if (k == keyHash) return s;
                if (k == 0 && slots.compareAndSet(s + KEY, 0, keyHash)) {
                    slots.set(s + WINDOW, window - 2); // "no totals yet": the first batch also fetches the previous window
                    return s;
                }
                long w = slots.get(s + WINDOW);
                if (w < staleWindow) { stale = s; staleWindow = w; }
            }
            if (stale < 0) return -1;
            long old = slots.get(stale + KEY);
            if (!slots.compareAndSet(stale + KEY, old, keyHash)) return -1;
            slots.set(stale + WINDOW, window - 2);
            slots.set(stale + CURRENT, 0);
            slots.set(stale + PREVIOUS, 0);
            slots.set(stale + PENDING, 0);
            slots.set(stale + UNSENT, 0);
            slots.set(stale + INFLIGHT, 0);
            return stale;
        }

        /** Queues this window's batch on the pipelined connection (the caller flushes). */
        List<CompletableFuture<?>> send(RedisAsyncCommands<String, String> redis) {
            List<CompletableFuture<?>> out = new ArrayList<>();
            long now = clock.currentTimeMillis();
            long w = now / periodMillis;
            long ttl = 2 * periodMillis + 1000;
            for (int s = 0; s < slots.length(); s += STRIDE) {
                long key = slots.get(s + KEY);
                if (key == 0 || (slots.get(s + PENDING) == 0 && slots.get(s + UNSENT) == 0)) continue;
                // moved to INFLIGHT before it leaves PENDING: a reader may count it twice for an instant, never zero times
                long fresh = slots.get(s + PENDING);
                slots.addAndGet(s + INFLIGHT, fresh);
                slots.addAndGet(s + PENDING, -fresh);
                // counts Redis refused earlier in this window go again; those of a past window are dropped
                long unsent = slots.getAndSet(s + UNSENT, 0);
                long resent = slots.get(s + WINDOW) == w ? unsent : 0;
                long delta = fresh + resent;
                if (delta == 0) continue;
                String name = name(w, key);
                final int slot = s;
                boolean newWindow = slots.get(s + WINDOW) != w;
                RedisFuture<String> previous = newWindow ? redis.get(name(w - 1, key)) : null;
                RedisFuture<Long> total = redis.incrby(name, delta);
                redis.pexpire(name, ttl);
                out.add(total.toCompletableFuture().handle((t, error) -> {
                    if (slots.get(slot + KEY) != key) return null; // slot was taken over meanwhile (its delta is lost either way)
                    if (error != null) {
                        foldLocally(slot, w, fresh, delta);
                        slots.addAndGet(slot + INFLIGHT, -fresh);
                        throw error instanceof java.util.concurrent.CompletionException c ? c : new java.util.concurrent.CompletionException(error);
                    }
                    long prevTotal = 0;
                    if (previous != null) {
                        try {
                            String p = previous.toCompletableFuture().getNow(null);
                            prevTotal = p == null ? 0 : Long.parseLong(p);
                        } catch (RuntimeException ignored) {
                            prevTotal = 0;
                        }
                    }
                    store(slot, w, t, previous != null ? prevTotal : -1);
                    slots.addAndGet(slot + INFLIGHT, -fresh);
                    updatesAcknowledged.incrementAndGet();
                    return null;
                }));
            }
            return out;
        }

        /**
         * Redis did not take the batch: the new counts ({@code fresh}) join the slot's own totals so
         * local limiting goes on, and the whole delta waits in {@code UNSENT} for the next batch of
         * the same window (the cluster total then includes what this node counted meanwhile).
         */
        private void foldLocally(int s, long w, long fresh, long delta) {
            long sw = slots.get(s + WINDOW);
            if (sw == w) {
                slots.addAndGet(s + CURRENT, fresh);
                slots.addAndGet(s + UNSENT, delta);
            } else if (sw < w) {
                slots.set(s + PREVIOUS, sw == w - 1 ? slots.get(s + CURRENT) : 0);
                slots.set(s + CURRENT, fresh);
                slots.set(s + UNSENT, delta);
                slots.set(s + WINDOW, w);
            }
        }

        private void store(int s, long w, long total, long previousTotal) {
            long sw = slots.get(s + WINDOW);
            if (sw == w) {
                if (total > slots.get(s + CURRENT)) slots.set(s + CURRENT, total);
                if (previousTotal >= 0) slots.set(s + PREVIOUS, previousTotal);
            } else if (sw < w) {
                slots.set(s + PREVIOUS, previousTotal >= 0 ? previousTotal : (sw == w - 1 ? slots.get(s + CURRENT) : 0));
                slots.set(s + CURRENT, total);
                slots.set(s + WINDOW, w);
            }
        }

        private String name(long window, long key) {
            return namespace + ":c:" + periodMillis + ":" + window + ":" + Long.toHexString(key);
        }
    }
}
