package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.OriginPoolConfig.Balance;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReloadTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void originsWithTheSameIdKeepTheirHealthAndCounters() {
        OriginPool v1 = OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "http://a.example", "http://b.example"), clock);
        Origin a1 = v1.origin("a.example:80");
        Pools.eject(a1);
        v1.origin("b.example:80").onRequestStart();
        assertThat(a1.recordProbe(ProbeResult.failed(503, "status 503", 1), 1, 1)).isFalse();

        OriginPool v2 = OriginPool.of(Pools.urls(Balance.LEAST_OUTSTANDING,
                "http://b.example", "http://a.example", "http://c.example"), clock).inheritFrom(v1);
        Origin a2 = v2.origin("a.example:80"), b2 = v2.origin("b.example:80"), c2 = v2.origin("c.example:80");
        assertThat(a2).isNotSameAs(a1);
        assertThat(a2.ejected()).isTrue();
        assertThat(a2.healthy()).isFalse();
        assertThat(b2.outstanding()).isEqualTo(1);
        assertThat(c2.available()).isTrue();
        assertThat(v2.config().balance()).isEqualTo(Balance.LEAST_OUTSTANDING);

        // A request that started on v1 ends on v1's origin object; v2 sees it.
        v1.origin("b.example:80").onRequestEnd(true);
        assertThat(b2.outstanding()).isZero();

        clock.advance(Duration.ofSeconds(10));
        assertThat(a2.ejected()).isFalse();
        assertThat(a1.ejected()).isFalse();
    }

    @Test
    void newSettingsApplyToInheritedOrigins() {
        OriginPool v1 = OriginPool.of(Pools.config(Balance.WEIGHTED, 1, 1), clock);
        OriginPool v2 = OriginPool.of(Pools.config(Balance.WEIGHTED, 3, 1), clock).inheritFrom(v1);
        assertThat(v2.origins()).extracting(Origin::weight).containsExactly(3, 1);
        assertThat(OriginPoolTest.count(v2, 400)).containsEntry("10.0.0.1:80", 300);
    }

    @Test
    void aSchemeChangeStartsFresh() {
        OriginPool v1 = OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "http://a.example:8443"), clock);
        Pools.eject(v1.origins().get(0));
        OriginPool v2 = OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "https://a.example:8443"), clock).inheritFrom(v1);
        assertThat(v2.origins().get(0).available()).isTrue();
        assertThat(v2.origins().get(0).tls()).isTrue();
    }

    @Test
    void inheritingFromNothingIsTheSamePool() {
        OriginPool v1 = OriginPool.of(Pools.config(Balance.ROUND_ROBIN, 1), clock);
        assertThat(v1.inheritFrom(null)).isSameAs(v1);
        assertThat(v1.inheritFrom(v1)).isSameAs(v1);
    }
}
