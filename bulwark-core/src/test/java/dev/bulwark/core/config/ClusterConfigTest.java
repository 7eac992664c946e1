package dev.bulwark.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ClusterConfigTest {
    private static final String BASE = """
            edge:
              listeners:
                - {name: http, address: 127.0.0.1:0}
            """;

    @Test
    void readsTheClusterSectionAndResolvesThePasswordFileNextToTheConfig() throws Exception {
        Path dir = Files.createTempDirectory("bulwark-cluster-config");
        Files.writeString(dir.resolve("redis.pass"), "s3cret\n");
        BulwarkConfig c = ConfigLoader.parse("fleet.yaml", BASE + """
                cluster:
                  redis: redis://10.0.0.7:6379/2
                  node_id: edge-fra-1
                  password_file: redis.pass
                """, dir);
        assertThat(c.cluster().redis()).isEqualTo("redis://10.0.0.7:6379/2");
        assertThat(c.cluster().nodeId()).isEqualTo("edge-fra-1");
        assertThat(c.cluster().namespace()).isEqualTo("bulwark");
        assertThat(c.cluster().passwordFile()).isEqualTo(dir.resolve("redis.pass").toString());
        assertThat(ConfigLoader.parse("single.yaml", BASE, null).cluster()).isNull();
    }

    @Test
    void badClusterSettingsAreRefusedWithTheirLine() {
        String yaml = BASE + """
                cluster:
                  redis: redis://admin:hunter2@10.0.0.7:6379
                  node_id: "no spaces allowed"
                  password_env: BULWARK_REDIS_PASSWORD
                  password_file: /nonexistent/redis.pass
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("fleet.yaml", yaml, null));
        List<ConfigProblem> p = e.problems();
        assertThat(p).extracting(ConfigProblem::path)
                .containsExactly("cluster.redis", "cluster.node_id", "cluster.password_file", "cluster.password_file");
        assertThat(p.get(0).line()).isEqualTo(5);
        assertThat(p.get(0).reason()).contains("no credentials in the URL").doesNotContain("hunter2");
        assertThat(p.get(1).line()).isEqualTo(6);
        assertThat(p.get(2).reason()).contains("not both");
        assertThat(p.get(3).line()).isEqualTo(8);
    }

    @Test
    void urlShapeIsChecked() {
        for (String bad : List.of("http://10.0.0.7:6379", "redis://10.0.0.7:6379/db1", "redis:///0", "redis://h:6379?timeout=1")) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> ConfigLoader.parse("f.yaml", BASE + "cluster: {redis: \"" + bad + "\"}\n", null));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("cluster.redis"));
        }
        for (String secret : List.of("http://ops:hunter2@h:6379", "redis://:hunter2@h:6379", "redis://ops:hun ter2@h:6379")) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> ConfigLoader.parse("f.yaml", BASE + "cluster: {redis: \"" + secret + "\"}\n", null));
            assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.reason()).doesNotContain("hunter2"));
        }
        ConfigException missing = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse("f.yaml", BASE + "cluster: {node_id: a}\n", null));
        assertThat(missing.problems()).singleElement().satisfies(p -> assertThat(p.reason()).contains("required"));
    }
}
