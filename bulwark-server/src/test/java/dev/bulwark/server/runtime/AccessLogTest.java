package dev.bulwark.server.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class AccessLogTest {
    @Test
    void writesToAFileSwitchesAndStops(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("a/access.log"), second = dir.resolve("b/access.log");
        try (AccessLog log = new AccessLog(first.toString())) {
            log.accept("{\"n\":1}");
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(first).contains("{\"n\":1}"));
            log.configure(second.toString());
            log.accept("{\"n\":2}");
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(second) && Files.readString(second).contains("{\"n\":2}"));
            assertThat(Files.readString(first)).doesNotContain("{\"n\":2}");
            log.configure("off");
            assertThat(log.setting()).isEqualTo("off");
            log.accept("{\"n\":3}");
            Thread.sleep(200);
            assertThat(Files.readString(second)).doesNotContain("{\"n\":3}").endsWith("\n");
        }
    }

    @Test
    void anUnwritablePathIsAClearError(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        assertThatThrownBy(() -> new AccessLog(blocker.resolve("access.log").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot write the access log to");
    }
}
