package dev.bulwark.control.store;

import dev.bulwark.control.ControlPlane;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.time.Clock;
import dev.bulwark.core.tls.PemCertificates;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Zone certificates' private keys are encrypted at rest under the node's key file: the row holds
 * no PEM, a restart with the same file gives the key back, a wrong or missing file is refused
 * naming it, and rows written in plain text before V113 are encrypted at the next start.
 */
class TlsKeyEncryptionTest {
    /** One fresh store; {@code jdbcUrl} is null for SQLite (then under {@code dataDir}). */
    private record Store(Path dataDir, String jdbcUrl) {
        ControlPlane open() {
            return ControlPlane.open(new ControlPlane.Settings(dataDir, jdbcUrl, jdbcUrl == null ? null : "postgres", null, null, null,
                    Clock.SYSTEM, Duration.ZERO));
        }

        Connection jdbc() throws Exception {
            return jdbcUrl == null ? DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("control.db"))
                    : DriverManager.getConnection(jdbcUrl, "postgres", null);
        }

        Path keyFile() { return dataDir.resolve(TlsKeyVault.DEFAULT_FILE); }
    }

    private static Store fresh(TestDatabases.Backend backend) {
        return new Store(TestDatabases.tempDir(), backend == TestDatabases.Backend.SQLITE ? null : TestDatabases.freshPostgresUrl());
    }

    private static Map<String, Object> row(Store s) throws Exception {
        try (Connection c = s.jdbc(); ResultSet rs = c.createStatement().executeQuery("SELECT fingerprint, key_data, format, key_id, last_version FROM tls_key")) {
            assertThat(rs.next()).as("one stored key").isTrue();
            Map<String, Object> row = Map.of("fingerprint", rs.getString(1), "key_data", rs.getString(2), "format", rs.getInt(3),
                    "key_id", String.valueOf(rs.getString(4)), "last_version", rs.getLong(5));
            assertThat(rs.next()).isFalse();
            return row;
        }
    }

    /** Stores zone {@code shop} with {@code pair} through a control plane opened and closed on {@code s}. */
    private static void withZone(Store s, TestCertificates.Pair pair) {
        try (ControlPlane cp = s.open()) {
            cp.store().createZone("alice", TlsCertificateStoreTest.zoneWithTls("shop", "shop.example", pair.certPem(), pair.keyPem()), null);
        }
    }

    /** Opens a control plane on {@code s} and checks that it serves zone {@code shop}'s private key in the clear. */
    private static void assertServesKey(Store s, TestCertificates.Pair pair, String when) {
        try (ControlPlane cp = s.open()) {
            assertThat(cp.store().snapshot().config().zones().getFirst().tls().keyPem()).as(when).isEqualTo(pair.keyPem());
        }
    }

    /** The base64 lines of a PEM, none of which may appear in the row. */
    private static List<String> bodyLines(String pem) {
        return pem.lines().filter(l -> !l.startsWith("-----") && l.length() > 16).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void theRowHoldsNoPemAndARestartWithTheSameKeyFileGivesItBack(TestDatabases.Backend backend) throws Exception {
        Store s = fresh(backend);
        TestCertificates.Pair pair = TestCertificates.ecSec1("shop.example");
        withZone(s, pair);
        assertThat(Files.readString(s.keyFile()).trim()).hasSize(44); // 32 bytes in base64
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.keyFile()))).isEqualTo("rw-------");

        Map<String, Object> row = row(s);
        String data = (String) row.get("key_data");
        assertThat(data).doesNotContain("PRIVATE KEY");
        for (String line : bodyLines(pair.keyPem())) assertThat(data).doesNotContain(line);
        assertThat(new String(Base64.getDecoder().decode(data), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY");
        assertThat(row.get("format")).isEqualTo(1);
        assertThat(row.get("key_id")).isEqualTo(TlsKeyVault.open(s.keyFile(), false).keyId());

        assertServesKey(s, pair, "after a restart");

        // another secret in the file: refused at start, naming the file, before anything is served
        byte[] original = Files.readAllBytes(s.keyFile());
        Files.writeString(s.keyFile(), Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        assertThatThrownBy(s::open).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(s.keyFile().toString()).hasMessageContaining("key id " + row.get("key_id"));
        Files.writeString(s.keyFile(), "not a key\n");
        assertThatThrownBy(s::open).isInstanceOf(IllegalStateException.class).hasMessageContaining(s.keyFile().toString()).hasMessageContaining("base64");
        Files.delete(s.keyFile());
        assertThatThrownBy(s::open).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(s.keyFile().toString()).hasMessageContaining("does not exist");
        assertThat(s.keyFile()).as("a missing file the keys need is not replaced by a new one").doesNotExist();

        Files.write(s.keyFile(), original);
        assertServesKey(s, pair, "with the original key file back");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void rotationReencryptsEveryKeyUnderTheNewFileOrChangesNothing(TestDatabases.Backend backend) throws Exception {
        Store s = fresh(backend);
        TestCertificates.Pair pair = TestCertificates.valid("shop.example");
        withZone(s, pair);
        TlsKeyVault current = TlsKeyVault.open(s.keyFile(), false);
        Path nextFile = TestDatabases.tempDir().resolve("next.key");
        TlsKeyVault next = TlsKeyVault.open(nextFile, true);
        TlsKeyVault stranger = TlsKeyVault.open(TestDatabases.tempDir().resolve("stranger.key"), true);
        try (Database db = Database.open(s.dataDir(), s.jdbcUrl(), s.jdbcUrl() == null ? null : "postgres", null)) {
            assertThatThrownBy(() -> TlsKeys.rotate(db.jdbi(), stranger, next)).as("not the file the keys were sealed with")
                    .hasMessageContaining("key id " + current.keyId()).hasMessageContaining("stranger.key");
            assertThatThrownBy(() -> TlsKeys.rotate(db.jdbi(), current, TlsKeyVault.open(s.keyFile(), false))).hasMessageContaining("same secret");
            assertThat(row(s).get("key_id")).as("nothing changed").isEqualTo(current.keyId());

            assertThat(TlsKeys.rotate(db.jdbi(), current, next)).isEqualTo(1);
        }
        Map<String, Object> row = row(s);
        assertThat(row.get("key_id")).isEqualTo(next.keyId());
        assertThat((String) row.get("key_data")).doesNotContain("PRIVATE KEY");
        // the old file no longer opens the store; the new one gives the key back
        assertThatThrownBy(s::open).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(s.keyFile().toString()).hasMessageContaining("key id " + next.keyId());
        Files.copy(nextFile, s.keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertServesKey(s, pair, "with the new key file");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void aRowSealedUnderAnotherSecretDoesNotOpen(TestDatabases.Backend backend) throws Exception {
        Store s = fresh(backend);
        TestCertificates.Pair pair = TestCertificates.valid("shop.example");
        withZone(s, pair);
        // a row re-sealed under another secret with the right key id (a damaged or forged row): never served as garbage
        TlsKeyVault other = TlsKeyVault.open(TestDatabases.tempDir().resolve("other.key"), true);
        String fingerprint = (String) row(s).get("fingerprint");
        try (Connection c = s.jdbc(); PreparedStatement u = c.prepareStatement("UPDATE tls_key SET key_data = ?")) {
            u.setString(1, other.seal(pair.keyPem(), fingerprint));
            u.executeUpdate();
        }
        try (ControlPlane cp = s.open()) {
            assertThatThrownBy(() -> cp.store().snapshot()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(s.keyFile().toString()).hasMessageContaining(fingerprint);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void plaintextRowsFromBeforeV113AreEncryptedAtTheNextStart(TestDatabases.Backend backend) throws Exception {
        Store s = fresh(backend);
        var flyway = Flyway.configure().locations("classpath:db/migration").target("111");
        (s.jdbcUrl() == null ? flyway.dataSource("jdbc:sqlite:" + s.dataDir().resolve("control.db"), null, null)
                : flyway.dataSource(s.jdbcUrl(), "postgres", null)).load().migrate();
        TestCertificates.Pair pair = TestCertificates.valid("shop.example");
        String fingerprint = PemCertificates.publicKeyFingerprint(PemCertificates.chain(pair.certPem()).getFirst());
        OriginPoolConfig pool = new OriginPoolConfig(null, List.of(new OriginConfig("http://127.0.0.1:9000", 1)), null, null, null);
        ZoneConfig zone = new ZoneConfig("shop", List.of("shop.example"), new CertificateConfig(null, null, pair.certPem(), null, fingerprint),
                pool, null, null, null, null, null, null, null);
        String withKey = ConfigDocuments.canonical(Map.of(), List.of(zone)), without = ConfigDocuments.canonical(Map.of(), List.of());
        try (Connection c = s.jdbc()) {
            insertVersion(c, 1, withKey);
            insertVersion(c, 2, without);
            try (PreparedStatement k = c.prepareStatement("INSERT INTO tls_key (fingerprint, key_pem, created_at) VALUES (?, ?, 0)")) {
                k.setString(1, fingerprint);
                k.setString(2, pair.keyPem());
                k.executeUpdate();
            }
        }
        try (ControlPlane cp = s.open()) {
            Map<String, Object> row = row(s);
            assertThat(row.get("format")).isEqualTo(1);
            assertThat((String) row.get("key_data")).doesNotContain("PRIVATE KEY");
            assertThat(row.get("last_version")).as("the newest version naming the key, found by the migration").isEqualTo(1L);
            cp.store().rollback("alice", 1, null);
            assertThat(cp.store().snapshot().config().zones().getFirst().tls().keyPem()).isEqualTo(pair.keyPem());
        }
    }

    private static void insertVersion(Connection c, long n, String document) throws Exception {
        try (PreparedStatement v = c.prepareStatement("INSERT INTO config_version (number, author, created_at, message, document) VALUES (?, 'old', 0, 'm', ?)")) {
            v.setLong(1, n);
            v.setString(2, document);
            v.executeUpdate();
        }
    }
}
