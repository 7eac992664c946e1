package dev.bulwark.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.store.TlsKeyVault;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.time.Clock;
import dev.bulwark.server.CliRunner;
import dev.bulwark.server.runtime.DemoCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code bulwark keys rotate}: stored TLS keys re-encrypted under a new key file, or nothing changed. */
class KeysCommandTest {
    private static ControlPlane open(Path dataDir, Path keyFile) {
        return ControlPlane.open(new ControlPlane.Settings(dataDir, null, null, null, null, null, Clock.SYSTEM, Duration.ZERO, keyFile, null));
    }

    @Test
    void rotatesTheStoredKeysAndOnlyTheNewFileOpensThemAfterwards(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        CertificateConfig pem = DemoCertificate.ensure(dir.resolve("pem"), List.of("shop.example"));
        String keyPem = Files.readString(Path.of(pem.key()));
        try (ControlPlane cp = open(data, null)) {
            ObjectNode zone = new ObjectMapper().createObjectNode().put("id", "shop");
            zone.putArray("hostnames").add("shop.example");
            zone.putObject("origins").putArray("servers").addObject().put("url", "http://127.0.0.1:9000");
            zone.putObject("tls").put("cert_pem", Files.readString(Path.of(pem.cert()))).put("key_pem", keyPem);
            cp.store().createZone("alice", zone, null);
        }
        Path current = data.resolve(TlsKeyVault.DEFAULT_FILE), next = dir.resolve("next.key");
        String oldId = TlsKeyVault.open(current, false).keyId();

        CliRunner.Run wrong = CliRunner.run("keys", "rotate", "--data-dir", data.toString(), "--key-file", dir.resolve("nope.key").toString(),
                "--new-key-file", next.toString());
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("keys not rotated", "nope.key", "does not exist");
        assertThat(next).doesNotExist();

        CliRunner.Run r = CliRunner.run("keys", "rotate", "--data-dir", data.toString(), "--new-key-file", next.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        String newId = TlsKeyVault.open(next, false).keyId();
        assertThat(r.out()).contains("re-encrypted 1 stored TLS key(s): key id " + oldId, "-> " + newId, "created");

        assertThatThrownBy(() -> open(data, null)).as("the old file").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(current.toString()).hasMessageContaining(newId);
        try (ControlPlane cp = open(data, next)) {
            assertThat(cp.store().snapshot().config().zones().getFirst().tls().keyPem()).isEqualTo(keyPem);
        }

        CliRunner.Run again = CliRunner.run("keys", "rotate", "--data-dir", data.toString(), "--new-key-file", dir.resolve("third.key").toString());
        assertThat(again.code()).as("the default file is not the one the keys are under now").isEqualTo(1);
        assertThat(again.err()).contains("key id " + newId);
        assertThat(dir.resolve("third.key")).as("the refused rotation's new file is not left behind").doesNotExist();
    }

    @Test
    void usageErrorsChangeNothing(@TempDir Path dir) {
        assertThat(CliRunner.run("keys").code()).isEqualTo(2);
        assertThat(CliRunner.run("keys", "rotate", "--data-dir", dir.toString()).err()).contains("--new-key-file");
        CliRunner.Run same = CliRunner.run("keys", "rotate", "--data-dir", dir.toString(), "--new-key-file", dir.resolve(TlsKeyVault.DEFAULT_FILE).toString());
        assertThat(same.code()).isEqualTo(2);
        assertThat(same.err()).contains("another file than the current one");
        assertThat(CliRunner.run("keys", "rotate", "--new-key-file", dir.resolve("n.key").toString()).err()).contains("--data-dir or --store-url");
    }
}
