package dev.bulwark.edge.upstream;

import dev.bulwark.core.config.HealthCheckConfig;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.PassiveHealthConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Small builders for pool configs in tests. */
final class Pools {
    private Pools() {}

    /** Origins http://10.0.0.1:80, http://10.0.0.2:80, ... with the given weights. */
    static OriginPoolConfig config(OriginPoolConfig.Balance balance, int... weights) {
        return config(balance, new PassiveHealthConfig(3, Duration.ofSeconds(10)), weights);
    }

    static OriginPoolConfig config(OriginPoolConfig.Balance balance, PassiveHealthConfig passive, int... weights) {
        List<OriginConfig> servers = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) servers.add(new OriginConfig("http://10.0.0." + (i + 1), weights[i]));
        return new OriginPoolConfig(balance, servers, HealthCheckConfig.disabled(), passive, null);
    }

    static OriginPoolConfig urls(OriginPoolConfig.Balance balance, String... urls) {
        List<OriginConfig> servers = new ArrayList<>();
        for (String u : urls) servers.add(new OriginConfig(u, null));
        return new OriginPoolConfig(balance, servers, null, new PassiveHealthConfig(3, Duration.ofSeconds(10)), null);
    }

    /** Makes an origin unavailable by failing it past its passive threshold. */
    static void eject(Origin o) {
        for (int i = 0; i < 100 && !o.ejected(); i++) o.onConnectFailure();
        if (!o.ejected()) throw new AssertionError("could not eject " + o);
    }
}
