package dev.bulwark.core.ddos;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureDeriverTest {
    /** Normal traffic: two user agents, several paths, many networks. */
    static ZoneBaseline baseline() throws Exception {
        ZoneBaseline b = new ZoneBaseline(1);
        TrafficSampler sampler = new TrafficSampler(1024);
        TrafficSampler.Cursor start = sampler.cursor();
        for (int i = 0; i < 400; i++) {
            sampler.record(TrafficSimulation.facts(new byte[]{(byte) 198, 51, (byte) (i % 40), 1}, "GET", "/page/" + (i % 8),
                    i % 2 == 0 ? "Firefox" : "Chrome"), 200);
        }
        TrafficSampler.Samples s = new TrafficSampler.Samples(1024);
        sampler.drain(start, s);
        b.learn(100, 0, 40, s);
        return b;
    }

    @Test
    void keepsAToolsUserAgentAndDropsWhatNormalTrafficShares() throws Exception {
        ZoneBaseline normal = baseline();
        TrafficSampler sampler = new TrafficSampler(1024);
        TrafficSampler.Cursor start = sampler.cursor();
        // 900 attack requests from a scripted client across many networks, on normal pages; 100 normal ones
        for (int i = 0; i < 1000; i++) {
            boolean attack = i % 10 != 0;
            sampler.record(TrafficSimulation.facts(new byte[]{10, (byte) (i % 250), (byte) (i / 250), 1}, "GET", "/page/" + (i % 8),
                    attack ? "python-requests/2.32" : "Firefox"), 200);
        }
        TrafficSampler.Samples s = new TrafficSampler.Samples(1024);
        sampler.drain(start, s);
        Signature sig = new SignatureDeriver().derive(s, 1000, normal);
        assertThat(sig.userAgents()).containsExactly("python-requests/2.32");
        assertThat(sig.sourcePrefixes()).isEmpty();
        assertThat(sig.paths()).isEmpty();
        assertThat(sig.methods()).isEmpty();
        assertThat(sig.toString()).isEqualTo("http.user_agent in {\"python-requests/2.32\"}");
        assertThat(sig.matches(TrafficSimulation.facts(new byte[]{1, 2, 3, 4}, "GET", "/x", "python-requests/2.32"))).isTrue();
        assertThat(sig.matches(TrafficSimulation.facts(new byte[]{1, 2, 3, 4}, "GET", "/x", "Firefox"))).isFalse();
    }

    @Test
    void floodThatLooksLikeNormalTrafficHasNoSignature() throws Exception {
        ZoneBaseline normal = baseline();
        TrafficSampler sampler = new TrafficSampler(1024);
        TrafficSampler.Cursor start = sampler.cursor();
        for (int i = 0; i < 1000; i++) {
            sampler.record(TrafficSimulation.facts(new byte[]{10, (byte) (i % 250), (byte) (i / 250), 1}, "GET", "/page/" + (i % 8),
                    i % 2 == 0 ? "Firefox" : "Chrome"), 200);
        }
        TrafficSampler.Samples s = new TrafficSampler.Samples(1024);
        sampler.drain(start, s);
        Signature sig = new SignatureDeriver().derive(s, 1000, normal);
        assertThat(sig.isEmpty()).isTrue();
        assertThat(sig.matches(TrafficSimulation.facts(new byte[]{10, 0, 0, 1}, "GET", "/page/1", "Firefox"))).isFalse();
    }
}
