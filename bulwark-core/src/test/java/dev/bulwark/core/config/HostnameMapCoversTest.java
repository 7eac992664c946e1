package dev.bulwark.core.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HostnameMap#covers} must agree with {@link HostnameMap#find}: trust and safety relies on it. */
class HostnameMapCoversTest {
    @Test
    void coversMatchesWhatFindWouldServe() {
        for (String pattern : new String[] {"forum.example", "*.example", "*"}) {
            HostnameMap<String> only = HostnameMap.<String>builder().put(pattern, "z").build();
            for (String host : new String[] {"forum.example", "example", "a.forum.example", "other.test"}) {
                assertThat(HostnameMap.covers(pattern, host)).as(pattern + " covers " + host)
                        .isEqualTo(only.find(host) != null);
            }
        }
    }
}
