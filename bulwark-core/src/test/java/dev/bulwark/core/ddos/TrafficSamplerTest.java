package dev.bulwark.core.ddos;

import dev.bulwark.core.request.RequestFacts;
import dev.bulwark.core.request.SimpleRequestFacts;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficSamplerTest {
    static SimpleRequestFacts request(int n) throws Exception {
        return new SimpleRequestFacts().client(InetAddress.getByAddress(new byte[]{10, 0, (byte) (n >>> 8), (byte) n}))
                .method(n % 2 == 0 ? "GET" : "POST").uri("/p/" + n).header("user-agent", "agent-" + n);
    }

    @Test
    void drainsWhatWasRecordedSinceTheLastCursor() throws Exception {
        TrafficSampler sampler = new TrafficSampler(64, 4);
        TrafficSampler.Samples out = new TrafficSampler.Samples(64);
        TrafficSampler.Cursor cursor = sampler.cursor();
        for (int i = 0; i < 10; i++) sampler.record(request(i), i == 3 ? 503 : 200);
        sampler.drain(cursor, out);
        assertThat(out.size()).isEqualTo(10);
        assertThat(out.path[3]).isEqualTo("/p/3");
        assertThat(out.status[3]).isEqualTo(503);
        assertThat(out.source[3]).isEqualTo(TrafficSampler.sourceKey(InetAddress.getByName("10.0.0.77")));
        assertThat(Signature.sourceLabel(out.source[3])).isEqualTo("10.0.0.0/24");
        assertThat(sampler.requests()).isEqualTo(10);
        assertThat(sampler.errors()).isEqualTo(1);

        sampler.drain(cursor, out);
        assertThat(out.size()).isZero(); // the drain moved the cursor

        for (int i = 10; i < 200; i++) sampler.record(request(i), 200);
        sampler.drain(cursor, out);
        // one thread writes one stripe: 64 slots over 4 stripes keep its newest 16
        assertThat(out.size()).isEqualTo(16);
        assertThat(out.path[0]).isEqualTo("/p/184");
        assertThat(out.path[15]).isEqualTo("/p/199");
    }

    @Test
    void samplesFromEveryStripeComeOut() throws Exception {
        TrafficSampler sampler = new TrafficSampler(64, 4);
        assertThat(sampler.capacity()).isEqualTo(64);
        TrafficSampler.Samples out = new TrafficSampler.Samples(sampler.capacity());
        TrafficSampler.Cursor cursor = sampler.cursor();
        for (int stripe = 0; stripe < 4; stripe++) {
            for (int i = 0; i < 5; i++) sampler.record(stripe, request(stripe * 100 + i), stripe == 2 ? 502 : 200);
        }
        sampler.drain(cursor, out);
        assertThat(out.size()).isEqualTo(20);
        for (int stripe = 0; stripe < 4; stripe++) {
            for (int i = 0; i < 5; i++) {
                assertThat(out.path[stripe * 5 + i]).isEqualTo("/p/" + (stripe * 100 + i));
                assertThat(out.status[stripe * 5 + i]).isEqualTo(stripe == 2 ? 502 : 200);
            }
        }
        assertThat(sampler.requests()).isEqualTo(20);
        assertThat(sampler.errors()).isEqualTo(5);

        // a full stripe gives its newest 16; the others, untouched since, give nothing
        for (int i = 0; i < 40; i++) sampler.record(1, request(1000 + i), 200);
        sampler.record(3, request(2000), 200);
        sampler.drain(cursor, out);
        assertThat(out.size()).isEqualTo(17);
        assertThat(out.path[0]).isEqualTo("/p/1024");
        assertThat(out.path[15]).isEqualTo("/p/1039");
        assertThat(out.path[16]).isEqualTo("/p/2000");
        assertThat(sampler.requests()).isEqualTo(61);
    }

    /** Fresh threads take stripes in turn, so as many writers as stripes (the event loops) never share one. */
    @Test
    void threadsTakeStripesInTurn() throws Exception {
        TrafficSampler sampler = new TrafficSampler(64, 4);
        TrafficSampler.Cursor before = sampler.cursor();
        SimpleRequestFacts r = request(1);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> sampler.record(r, 200));
            threads[t].join(); // one after the other: each takes the next stripe number
        }
        TrafficSampler.Cursor after = sampler.cursor();
        for (int stripe = 0; stripe < 4; stripe++) assertThat(after.positions[stripe] - before.positions[stripe]).isEqualTo(1);
    }

    @Test
    void ipv6SourcesAreGroupedBySlash64() throws Exception {
        long a = TrafficSampler.sourceKey(InetAddress.getByName("2001:db8:1:2::1"));
        long b = TrafficSampler.sourceKey(InetAddress.getByName("2001:db8:1:2:ffff::9"));
        assertThat(a).isEqualTo(b);
        assertThat(Signature.sourceLabel(a)).isEqualTo("2001:db8:1:2::/64");
    }

    static int statusOf(int n) { return n % 7 == 0 ? 503 : 200 + n % 3; }

    /**
     * More writer threads than stripes (so threads share stripes and race for slots), a reader
     * draining at the same time: every sample it accepts is one request, never a mix, and the
     * totals count every record.
     */
    @Test
    void concurrentReadsNeverMixTwoRequests() throws Exception {
        TrafficSampler sampler = new TrafficSampler(64, 4); // 16 slots a stripe: writers lap each other often
        SimpleRequestFacts[] requests = new SimpleRequestFacts[1000];
        for (int i = 0; i < requests.length; i++) requests[i] = request(i);
        int writers = 4 * 2 + 1, perWriter = 200_000;
        CountDownLatch done = new CountDownLatch(writers);
        for (int t = 0; t < writers; t++) {
            int offset = t * 137;
            Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perWriter; i++) {
                    int n = (offset + i) % requests.length;
                    sampler.record(requests[n], statusOf(n));
                }
                done.countDown();
            });
        }
        TrafficSampler.Samples out = new TrafficSampler.Samples(sampler.capacity());
        TrafficSampler.Cursor cursor = new TrafficSampler.Cursor(4);
        long checked = 0;
        String mixed = null;
        for (int round = 0; round < 1_000_000 && mixed == null && (round == 0 || done.getCount() > 0); round++) {
            sampler.drain(cursor, out);
            for (int i = 0; i < out.size() && mixed == null; i++, checked++) mixed = mix(out, i, requests);
        }
        assertThat(mixed).isNull();
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(checked).isPositive();

        long errors = 0;
        for (int t = 0; t < writers; t++) {
            for (int i = 0; i < perWriter; i++) if (statusOf((t * 137 + i) % requests.length) >= 500) errors++;
        }
        assertThat(sampler.requests()).isEqualTo((long) writers * perWriter);
        assertThat(sampler.errors()).isEqualTo(errors);
        sampler.drain(new TrafficSampler.Cursor(4), out); // from the start: each stripe's newest
        assertThat(out.size()).isBetween(1, sampler.capacity());
    }

    /** Null when sample {@code i} is wholly the request its path names, else what differs. */
    static String mix(TrafficSampler.Samples out, int i, SimpleRequestFacts[] requests) {
        String path = out.path[i];
        SimpleRequestFacts r = requests[Integer.parseInt(path.substring(3))];
        if (out.pathHash[i] != Signature.hash(path)) return path + ": path hash of another request";
        if (!out.agent[i].equals(r.header("user-agent")) || out.agentHash[i] != Signature.hash(r.header("user-agent"))) return path + ": agent " + out.agent[i];
        if (!out.method[i].equals(r.method()) || out.methodHash[i] != Signature.hash(r.method())) return path + ": method " + out.method[i];
        if (out.address[i] != TrafficSampler.addressHash(r.clientAddress()) || out.source[i] != TrafficSampler.sourceKey(r.clientAddress())) return path + ": address of another request";
        if (out.status[i] != statusOf(Integer.parseInt(path.substring(3)))) return path + ": status " + out.status[i];
        return null;
    }

    /**
     * A writer that laps onto a slot another writer of the stripe is still filling drops its
     * sample instead of writing into it (which could publish a mix of the two requests).
     */
    @Test
    void aWriterLappingOntoASlotBeingWrittenDropsItsSample() throws Exception {
        TrafficSampler sampler = new TrafficSampler(64, 4); // 16 slots a stripe
        TrafficSampler.Cursor cursor = sampler.cursor();
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        PausingRequest slow = new PausingRequest(request(500), inside, release);
        Thread writer = Thread.ofPlatform().start(() -> sampler.record(0, slow, 200)); // takes slot 0, pauses halfway
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 16; i++) sampler.record(0, request(i), 200); // the 16th laps onto slot 0
        TrafficSampler.Samples out = new TrafficSampler.Samples(64);
        sampler.drain(cursor, out);
        assertThat(out.size()).isEqualTo(15);
        for (int i = 0; i < 15; i++) assertThat(out.path[i]).isEqualTo("/p/" + (i + 1));
        release.countDown();
        writer.join(10_000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(sampler.requests()).isEqualTo(17);

        for (int i = 17; i <= 32; i++) sampler.record(0, request(i), 200); // the 32nd takes slot 0 again: it is free
        sampler.drain(cursor, out);
        assertThat(out.size()).isEqualTo(16);
        assertThat(out.path[15]).isEqualTo("/p/32");
    }

    /** A request whose clearance lookup (made while its sample is being written) waits to be released. */
    record PausingRequest(SimpleRequestFacts r, CountDownLatch inside, CountDownLatch release) implements RequestFacts {
        @Override public int clearanceLevel() {
            inside.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return r.clearanceLevel();
        }
        @Override public InetAddress clientAddress() { return r.clientAddress(); }
        @Override public String host() { return r.host(); }
        @Override public String method() { return r.method(); }
        @Override public String uri() { return r.uri(); }
        @Override public String path() { return r.path(); }
        @Override public String query() { return r.query(); }
        @Override public String header(String name) { return r.header(name); }
        @Override public List<String> headers(String name) { return r.headers(name); }
        @Override public String httpVersion() { return r.httpVersion(); }
        @Override public boolean tls() { return r.tls(); }
        @Override public String zoneId() { return r.zoneId(); }
        @Override public boolean zoneUnderAttack() { return r.zoneUnderAttack(); }
        @Override public String clearanceId() { return r.clearanceId(); }
    }

    @Test
    void rejectsATinyRingAndBadStripes() {
        assertThatThrownBy(() -> new TrafficSampler(8)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new TrafficSampler(64, 3)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new TrafficSampler(64, 8)).hasMessageContaining("fewer than 16 slots");
    }

    @Test
    void aCursorOfAnotherShapeIsRefused() {
        TrafficSampler.Cursor two = new TrafficSampler(64, 2).cursor();
        assertThatThrownBy(() -> new TrafficSampler(64, 4).drain(two, new TrafficSampler.Samples(64))).hasMessageContaining("stripes");
    }
}
