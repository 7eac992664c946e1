package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.OriginPoolConfig.Balance;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginPoolTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void parsesOriginUrls() {
        OriginPool pool = OriginPool.of(Pools.urls(Balance.ROUND_ROBIN,
                "http://Origin.Example:8080", "https://secure.example", "http://[::1]:9000", "http://127.0.0.1/"), clock);
        List<Origin> o = pool.origins();
        assertThat(o).extracting(Origin::id)
                .containsExactly("origin.example:8080", "secure.example:443", "[::1]:9000", "127.0.0.1:80");
        assertThat(o).extracting(Origin::tls).containsExactly(false, true, false, false);
        assertThat(o.get(2).host()).isEqualTo("::1");
        assertThat(o).allMatch(Origin::available).allMatch(x -> x.outstanding() == 0).allMatch(x -> x.weight() == 1);
        assertThat(pool.origin("secure.example:443")).isSameAs(o.get(1));
    }

    @Test
    void rejectsBadOriginLists() {
        assertThatThrownBy(() -> OriginPool.of(Pools.urls(Balance.ROUND_ROBIN), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one origin");
        assertThatThrownBy(() -> OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "ftp://x.example"), clock))
                .hasMessageContaining("must start with http:// or https://");
        assertThatThrownBy(() -> OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "http://a.example", "http://A.example:80"), clock))
                .hasMessageContaining("a.example:80 is listed twice (servers[0] and servers[1])");
        assertThatThrownBy(() -> OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "http://a.example/app"), clock))
                .hasMessageContaining("must be scheme://host[:port] only");
        assertThatThrownBy(() -> OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "http://a.example?x=1"), clock))
                .hasMessageContaining("must be scheme://host[:port] only");
        assertThatThrownBy(() -> OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "https://u:p@a.example"), clock))
                .hasMessageContaining("must not carry credentials");
        assertThatThrownBy(() -> OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "http://a.example:0"), clock))
                .hasMessageContaining("port 0");
        assertThatThrownBy(() -> OriginPool.of(Pools.urls(Balance.ROUND_ROBIN, "http:// bad"), clock))
                .hasMessageContaining("not a valid origin URL");
        assertThatThrownBy(() -> OriginPool.of(new OriginPoolConfig(Balance.WEIGHTED,
                List.of(new OriginConfig("http://a.example", 0)), null, null, null), clock))
                .hasMessageContaining("weight must be at least 1");
    }

    @Test
    void roundRobinVisitsEachOriginInTurn() {
        OriginPool pool = OriginPool.of(Pools.config(Balance.ROUND_ROBIN, 1, 1, 1), clock);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) picks.add(pool.pick().id());
        assertThat(picks).containsExactly("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80",
                "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80");
    }

    @Test
    void roundRobinSkipsUnavailableOrigins() {
        OriginPool pool = OriginPool.of(Pools.config(Balance.ROUND_ROBIN, 1, 1, 1), clock);
        Pools.eject(pool.origins().get(1));
        Map<String, Integer> counts = count(pool, 600);
        assertThat(counts).doesNotContainKey("10.0.0.2:80");
        assertThat(counts.get("10.0.0.1:80") + counts.get("10.0.0.3:80")).isEqualTo(600);
        assertThat(counts.get("10.0.0.1:80")).isBetween(250, 350);
    }

    @ParameterizedTest
    @EnumSource(Balance.class)
    void excludeIsHonoured(Balance balance) {
        OriginPool pool = OriginPool.of(Pools.config(balance, 1, 3), clock);
        Origin first = pool.origins().get(0), second = pool.origins().get(1);
        for (int i = 0; i < 200; i++) {
            assertThat(pool.pick(first)).isSameAs(second);
            assertThat(pool.pick(second)).isSameAs(first);
        }
        assertThat(pool.pickExcluding(List.of(first, second))).isNull();
        assertThat(pool.pickExcluding(Set.of(second))).isSameAs(first);
    }

    @ParameterizedTest
    @EnumSource(Balance.class)
    void allUnavailableGivesNull(Balance balance) {
        OriginPool pool = OriginPool.of(Pools.config(balance, 1, 2, 3, 4, 5), clock);
        for (Origin o : pool.origins()) Pools.eject(o);
        assertThat(pool.anyAvailable()).isFalse();
        for (int i = 0; i < 50; i++) assertThat(pool.pick()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Balance.class)
    void lastAvailableOriginIsAlwaysFound(Balance balance) {
        OriginPool pool = OriginPool.of(Pools.config(balance, 5, 1, 1, 1, 1, 1, 1, 1), clock);
        List<Origin> all = pool.origins();
        for (int i = 0; i < all.size(); i++) if (i != 6) Pools.eject(all.get(i));
        for (int i = 0; i < 200; i++) assertThat(pool.pick()).isSameAs(all.get(6));
        assertThat(pool.pick(all.get(6))).isNull();
    }

    @ParameterizedTest
    @EnumSource(Balance.class)
    void singleOriginPool(Balance balance) {
        OriginPool pool = OriginPool.of(Pools.config(balance, 7), clock);
        Origin only = pool.origins().get(0);
        assertThat(pool.pick()).isSameAs(only);
        assertThat(pool.pick(only)).isNull();
    }

    static Map<String, Integer> count(OriginPool pool, int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            Origin o = pool.pick();
            counts.merge(o == null ? "none" : o.id(), 1, Integer::sum);
        }
        return counts;
    }
}
