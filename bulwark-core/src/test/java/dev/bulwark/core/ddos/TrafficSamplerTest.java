package dev.bulwark.core.ddos;

import dev.bulwark.core.request.SimpleRequestFacts;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficSamplerTest {
    static SimpleRequestFacts request(int n) throws Exception {
        return new SimpleRequestFacts().client(InetAddress.getByAddress(new byte[]{10, 0, (byte) (n >>> 8), (byte) n}))
                .method(n % 2 == 0 ? "GET" : "POST").uri("/p/" + n).header("user-agent", "agent-" + n);
    }

    @Test
    void drainsWhatWasRecordedSinceTheLastCursor() throws Exception {
        TrafficSampler sampler = new TrafficSampler(64);
        TrafficSampler.Samples out = new TrafficSampler.Samples(64);
        for (int i = 0; i < 10; i++) sampler.record(request(i), i == 3 ? 503 : 200);
        long cursor = sampler.drain(0, out);
        assertThat(out.size()).isEqualTo(10);
        assertThat(out.path[3]).isEqualTo("/p/3");
        assertThat(out.status[3]).isEqualTo(503);
        assertThat(out.source[3]).isEqualTo(TrafficSampler.sourceKey(InetAddress.getByName("10.0.0.77")));
        assertThat(Signature.sourceLabel(out.source[3])).isEqualTo("10.0.0.0/24");
        assertThat(sampler.requests()).isEqualTo(10);
        assertThat(sampler.errors()).isEqualTo(1);

        for (int i = 10; i < 200; i++) sampler.record(request(i), 200);
        sampler.drain(cursor, out);
        assertThat(out.size()).isEqualTo(64); // the ring keeps the newest
        assertThat(out.path[63]).isEqualTo("/p/199");
    }

    @Test
    void ipv6SourcesAreGroupedBySlash64() throws Exception {
        long a = TrafficSampler.sourceKey(InetAddress.getByName("2001:db8:1:2::1"));
        long b = TrafficSampler.sourceKey(InetAddress.getByName("2001:db8:1:2:ffff::9"));
        assertThat(a).isEqualTo(b);
        assertThat(Signature.sourceLabel(a)).isEqualTo("2001:db8:1:2::/64");
    }

    /** Writers on several threads, a reader draining at the same time: every sample it accepts is one request, never a mix. */
    @Test
    void concurrentReadsNeverMixTwoRequests() throws Exception {
        TrafficSampler sampler = new TrafficSampler(256);
        SimpleRequestFacts[] requests = new SimpleRequestFacts[1000];
        for (int i = 0; i < requests.length; i++) requests[i] = request(i);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(2);
        for (int t = 0; t < 2; t++) {
            Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 300_000 && !stop.get(); i++) sampler.record(requests[i % requests.length], 200 + i % 3);
                done.countDown();
            });
        }
        TrafficSampler.Samples out = new TrafficSampler.Samples(256);
        long cursor = 0, checked = 0;
        while (done.getCount() > 0 && checked < 5_000_000) {
            cursor = sampler.drain(cursor, out);
            for (int i = 0; i < out.size(); i++) {
                String path = out.path[i];
                assertThat(out.pathHash[i]).isEqualTo(Signature.hash(path));
                assertThat(out.agent[i]).isEqualTo("agent-" + path.substring(3));
                assertThat(out.agentHash[i]).isEqualTo(Signature.hash(out.agent[i]));
                checked++;
            }
        }
        stop.set(true);
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(checked).isPositive();
    }

    @Test
    void rejectsATinyRing() {
        assertThatThrownBy(() -> new TrafficSampler(8)).hasMessageContaining("capacity");
    }
}
