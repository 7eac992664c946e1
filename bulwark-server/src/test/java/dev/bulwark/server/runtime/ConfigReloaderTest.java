package dev.bulwark.server.runtime;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.ZoneConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The reloader on its own: versions, refusals, and configs published without a file. */
class ConfigReloaderTest {
    private static final String FILE = """
            zones:
              - id: shop
                hostnames: [shop.test]
                origins: {servers: [{url: "http://127.0.0.1:18080"}]}
            """;

    @Test
    void publishedConfigsAreValidatedAndVersionedLikeFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("b.yaml");
        Files.writeString(file, FILE);
        List<BulwarkConfig> applied = new CopyOnWriteArrayList<>();
        ConfigReloader r = new ConfigReloader(file, ConfigLoader.load(file), applied::add);

        BulwarkConfig fromStore = r.current().withZones(List.of(ZoneConfig.of("blog", List.of("blog.test"),
                new OriginPoolConfig(null, List.of(new OriginConfig("http://127.0.0.1:18081", null)), null, null, null))));
        assertThat(r.apply(fromStore, "store")).isEqualTo(new ReloadOutcome.Applied(2, "store"));
        assertThat(r.current()).isSameAs(fromStore);

        BulwarkConfig invalid = r.current().withZones(List.of(ZoneConfig.of("Bad Id", List.of("x.test"), null)));
        ReloadOutcome refused = r.apply(invalid, "store");
        assertThat(refused).isInstanceOf(ReloadOutcome.Refused.class);
        assertThat(((ReloadOutcome.Refused) refused).problems()).extracting(Object::toString)
                .anySatisfy(s -> assertThat(s).startsWith("store: zones[0].id:"))
                .anySatisfy(s -> assertThat(s).contains("zones[0].origins"));
        assertThat(r.version()).isEqualTo(2);
        assertThat(applied).containsExactly(fromStore);

        // the file wins again on the next reload
        assertThat(r.reload()).isEqualTo(new ReloadOutcome.Applied(3, file.toString()));
        assertThat(r.current().zones().getFirst().id()).isEqualTo("shop");
    }

    @Test
    void anUnreadableFileIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("b.yaml");
        Files.writeString(file, FILE);
        ConfigReloader r = new ConfigReloader(file, ConfigLoader.load(file), next -> { });
        Files.delete(file);
        ReloadOutcome o = r.reload();
        assertThat(o).isInstanceOf(ReloadOutcome.Refused.class);
        assertThat(((ReloadOutcome.Refused) o).problems().getFirst().toString()).startsWith(file + ": cannot read");
        assertThat(r.version()).isEqualTo(1);
    }
}
