package dev.bulwark.edge.zone;

import dev.bulwark.core.config.HostnameMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ZoneTableTest {
    private final HostnameMap<String> map = HostnameMap.<String>builder()
            .put("example.com", "apex").put("*.example.com", "wild").put("api.example.com", "api")
            .put("*.deep.example.com", "deep").put("Upper.Test", "upper").build();

    @Test
    void exactBeatsWildcardAndLongestSuffixWins() {
        assertThat(map.find("example.com")).isEqualTo("apex");
        assertThat(map.find("api.example.com")).isEqualTo("api");
        assertThat(map.find("www.example.com")).isEqualTo("wild");
        assertThat(map.find("a.b.example.com")).isEqualTo("wild");
        assertThat(map.find("x.deep.example.com")).isEqualTo("deep");
        assertThat(map.find("deep.example.com")).isEqualTo("wild");
        assertThat(map.find("upper.test")).isEqualTo("upper");
    }

    @Test
    void nothingMatchesOutsideTheNames() {
        assertThat(map.find("example.org")).isNull();
        assertThat(map.find("notexample.com")).isNull();
        assertThat(map.find("com")).isNull();
        assertThat(map.find("")).isNull();
        assertThat(map.find(null)).isNull();
        assertThat(map.find(".")).isNull();
    }

    @Test
    void theCatchAllTakesEveryHostNoOtherNameClaims() {
        HostnameMap<String> any = HostnameMap.<String>builder().put("*", "any").put("*.example.com", "wild")
                .put("api.example.com", "api").build();
        assertThat(any.find("api.example.com")).isEqualTo("api");
        assertThat(any.find("www.example.com")).isEqualTo("wild");
        assertThat(any.find("example.com")).isEqualTo("any");
        assertThat(any.find("whatever.test")).isEqualTo("any");
        assertThat(any.find("127.0.0.1")).isEqualTo("any");
        assertThat(any.find(null)).as("no valid Host: still nothing").isNull();
        assertThat(any.find("")).isNull();
        assertThat(HostnameMap.<String>builder().put("*", "only").build().find("x.test")).isEqualTo("only");
    }

    @Test
    void hostHeadersAreNormalised() {
        assertThat(ZoneTable.normalizeHost("Example.COM:8443")).isEqualTo("example.com");
        assertThat(ZoneTable.normalizeHost("example.com.")).isEqualTo("example.com");
        assertThat(ZoneTable.normalizeHost(" example.com ")).isEqualTo("example.com");
        assertThat(ZoneTable.normalizeHost("[::1]:443")).isEqualTo("[::1]");
        assertThat(ZoneTable.normalizeHost("exa mple.com")).isNull();
        assertThat(ZoneTable.normalizeHost("a/b")).isNull();
        assertThat(ZoneTable.normalizeHost("")).isNull();
        assertThat(ZoneTable.normalizeHost(null)).isNull();
    }
}
