package dev.bulwark.control.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.audit.AuditEntry;
import dev.bulwark.control.audit.AuditLog;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.OriginConfig;
import dev.bulwark.core.config.OriginPoolConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.Clock;
import dev.bulwark.core.tls.PemCertificates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Zone certificates stored as PEM, the key apart: both backends. */
class TlsCertificateStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode zoneWithTls(String id, String host, String certPem, String keyPem) {
        ObjectNode z = (ObjectNode) ConfigStoreTest.zone(id, host, "http://127.0.0.1:9000");
        ObjectNode tls = z.putObject("tls");
        tls.put("cert_pem", certPem);
        if (keyPem != null) tls.put("key_pem", keyPem);
        return z;
    }

    /** A store with a key file of its own in a temporary directory. */
    static ConfigStore store(Database db, InMemorySnapshotBus bus) {
        return new ConfigStore(db.jdbi(), Clock.SYSTEM, null, bus, TlsKeys.openVault(db.jdbi(), TestDatabases.tempDir().resolve("tls.key"), true));
    }

    private static int keyRows(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tls_key").mapTo(Integer.class).one());
    }

    static void refused(Runnable write, String field, String reason) {
        assertThatThrownBy(write::run).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID);
            assertThat(e.errors()).anySatisfy(fe -> {
                assertThat(fe.field()).isEqualTo(field);
                assertThat(fe.reason()).contains(reason);
            });
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void theKeyIsKeptApartAndGivenBackOnlyToTheEdge(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            InMemorySnapshotBus bus = new InMemorySnapshotBus();
            ConfigStore store = store(db, bus);
            TestCertificates.Pair a = TestCertificates.valid("shop.example");
            store.createZone("alice", zoneWithTls("shop", "shop.example", a.certPem(), a.keyPem()), null);

            CertificateConfig stored = store.zone("shop").orElseThrow().tls();
            assertThat(stored.certPem()).isEqualTo(a.certPem());
            assertThat(stored.keyPem()).isNull();
            assertThat(stored.keyRef()).startsWith("sha256:").hasSize(7 + 64);
            assertThat(bus.latest().config().zones().getFirst().tls().keyPem()).as("the edge's snapshot has the key").isEqualTo(a.keyPem());
            assertThat(store.snapshot().config().zones().getFirst().tls().keyPem()).isEqualTo(a.keyPem());

            assertThat(store.history().versionDocument(1).orElseThrow()).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY");
            List<AuditEntry> audit = new AuditLog(db.jdbi()).page(0, 10);
            assertThat(audit).isNotEmpty().allSatisfy(e -> assertThat(e.after()).doesNotContain("PRIVATE KEY"));
            assertThat(audit.getFirst().after()).contains(stored.keyRef());
            assertThat(bus.latest().config().zones().getFirst().tls().toString()).doesNotContain("PRIVATE");

            // an edit that leaves the certificate alone keeps it; a new pair replaces it; rollback restores the old key
            store.editZone("alice", "shop", "zone.update", "rename", z -> {
                z.putArray("hostnames").add("shop.example").add("www.shop.example");
                return "";
            });
            TestCertificates.Pair b = TestCertificates.valid("shop.example");
            store.replaceZone("alice", "shop", zoneWithTls("shop", "shop.example", b.certPem(), b.keyPem()), null);
            assertThat(bus.latest().config().zones().getFirst().tls().keyPem()).isEqualTo(b.keyPem());
            store.rollback("alice", 1, null);
            assertThat(bus.latest().config().zones().getFirst().tls().keyPem()).isEqualTo(a.keyPem());
            assertThat(store.history().diff(1, 3).toString()).doesNotContain("PRIVATE KEY");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void badPairsAreRefusedNamingTheFieldAndStoreNothing(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            ConfigStore store = store(db, null);
            TestCertificates.Pair a = TestCertificates.valid("shop.example"), other = TestCertificates.valid("shop.example");
            TestCertificates.Pair old = TestCertificates.expired("shop.example");
            refused(() -> store.createZone("a", zoneWithTls("shop", "shop.example", a.certPem(), other.keyPem()), null),
                    "tls.key_pem", "does not belong to the certificate");
            refused(() -> store.createZone("a", zoneWithTls("shop", "shop.example", old.certPem(), old.keyPem()), null),
                    "tls.cert_pem", "expired");
            refused(() -> store.createZone("a", zoneWithTls("shop", "shop.example", "not a certificate", a.keyPem()), null),
                    "tls.cert_pem", "no PEM certificate");
            refused(() -> store.createZone("a", zoneWithTls("shop", "shop.example", a.certPem(), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"), null),
                    "tls.key_pem", "not a valid RSA private key");
            refused(() -> store.createZone("a", zoneWithTls("shop", "shop.example", a.certPem(), "-----BEGIN EC PRIVATE KEY-----\nnot base64!\n-----END EC PRIVATE KEY-----\n"), null),
                    "tls.key_pem", "not valid base64");
            refused(() -> store.createZone("a", zoneWithTls("shop", "shop.example", a.certPem(), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0w\n-----END ENCRYPTED PRIVATE KEY-----\n"), null),
                    "tls.key_pem", "encrypted with a passphrase");
            refused(() -> store.createZone("a", zoneWithTls("shop", "shop.example", a.certPem(), "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                            + "DEK-Info: AES-256-CBC,5A1E5C5D4D1A0F6B0C8A4E7E2B3C9D10\n\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"), null),
                    "tls.key_pem", "encrypted with a passphrase");
            refused(() -> store.createZone("a", zoneWithTls("shop", "shop.example", a.certPem(), TestCertificates.rsaPkcs1("shop.example").keyPem()), null),
                    "tls.key_pem", "does not belong to the certificate");
            refused(() -> store.createZone("a", zoneWithTls("shop", "shop.example", a.certPem(), null), null),
                    "tls.key_pem", "required");
            ObjectNode paths = (ObjectNode) ConfigStoreTest.zone("shop", "shop.example", "http://127.0.0.1:9000");
            paths.putObject("tls").put("cert", "/etc/ssl/shop.pem").put("key", "/etc/ssl/shop.key");
            refused(() -> store.createZone("a", paths, null), "tls.cert", "PEM text");
            ObjectNode foreignRef = zoneWithTls("shop", "shop.example", a.certPem(), null);
            ((ObjectNode) foreignRef.get("tls")).put("key_ref", "sha256:" + "0".repeat(64));
            refused(() -> store.createZone("a", foreignRef, null), "tls.key_ref", "no stored key");
            assertThat(store.latestVersion()).isZero();
            assertThat(keyRows(db)).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void pkcs1RsaAndSec1EcKeysAreAcceptedAndGivenToTheEdge(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            InMemorySnapshotBus bus = new InMemorySnapshotBus();
            ConfigStore store = store(db, bus);
            TestCertificates.Pair rsa = TestCertificates.rsaPkcs1("rsa.example"), ec = TestCertificates.ecSec1("ec.example");
            assertThat(rsa.keyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
            assertThat(ec.keyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
            store.createZone("alice", zoneWithTls("rsa", "rsa.example", rsa.certPem(), rsa.keyPem()), null);
            store.createZone("alice", zoneWithTls("ec", "ec.example", ec.certPem(), ec.keyPem()), null);
            for (ZoneConfig z : bus.latest().config().zones()) {
                String keyPem = z.tls().keyPem();
                assertThat(keyPem).isEqualTo(z.id().equals("rsa") ? rsa.keyPem() : ec.keyPem());
                // what the edge does with it: a PKCS#8 key that signs for the certificate
                assertThat(PemCertificates.matches(PemCertificates.key(keyPem), PemCertificates.chain(z.tls().certPem()).getFirst())).isTrue();
            }
            assertThat(PemCertificates.key(rsa.keyPem()).getAlgorithm()).isEqualTo("RSA");
            assertThat(PemCertificates.key(ec.keyPem()).getAlgorithm()).isEqualTo("EC");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void aKeyIsDeletedWithTheLastKeptVersionThatNamesIt(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            InMemorySnapshotBus bus = new InMemorySnapshotBus();
            ConfigStore store = store(db, bus);
            store.keepVersions(3);
            TestCertificates.Pair a = TestCertificates.valid("shop.example"), b = TestCertificates.valid("shop.example");
            store.createZone("alice", zoneWithTls("shop", "shop.example", a.certPem(), a.keyPem()), null);            // v1: key a
            store.replaceZone("alice", "shop", zoneWithTls("shop", "shop.example", b.certPem(), b.keyPem()), null);    // v2: key b
            store.putList("alice", "staff", List.of("10.0.0.0/8"), null);                                              // v3
            assertThat(keyRows(db)).as("v1 can still be rolled back to: key a stays").isEqualTo(2);

            store.rollback("alice", 1, null);                                                                          // v4 = v1: key a again, v1 pruned
            assertThat(store.history().version(1)).isEmpty();
            assertThat(bus.latest().config().zones().getFirst().tls().keyPem()).isEqualTo(a.keyPem());
            assertThat(keyRows(db)).as("a is named by v4, b by v2 and v3").isEqualTo(2);

            store.putList("alice", "staff", List.of("10.0.0.0/16"), null);                                             // v5, v2 pruned
            assertThat(keyRows(db)).as("b is still named by v3").isEqualTo(2);
            store.putList("alice", "staff", List.of("10.0.0.0/24"), null);                                             // v6, v3 pruned
            assertThat(keyRows(db)).as("no kept version (4..6) names b").isEqualTo(1);
            String left = db.jdbi().withHandle(h -> h.createQuery("SELECT fingerprint FROM tls_key").mapTo(String.class).one());
            assertThat(left).isEqualTo(store.zone("shop").orElseThrow().tls().keyRef());

            store.deleteZone("alice", "shop", null);                                                                   // v7
            store.putList("alice", "staff", List.of("10.1.0.0/24"), null);                                             // v8
            assertThat(keyRows(db)).as("v6 still names a").isEqualTo(1);
            store.rollback("alice", 6, null);                                                                          // v9 = v6, the zone and its key back
            assertThat(bus.latest().config().zones().getFirst().tls().keyPem()).isEqualTo(a.keyPem());
            store.deleteZone("alice", "shop", null);                                                                   // v10
            store.putList("alice", "staff", List.of("10.2.0.0/24"), null);                                             // v11
            store.putList("alice", "staff", List.of("10.3.0.0/24"), null);                                             // v12: kept 10..12
            assertThat(keyRows(db)).as("the zone is gone from every kept version").isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void importTurnsCertificateFilesIntoPem(TestDatabases.Backend backend) throws Exception {
        try (Database db = TestDatabases.open(backend)) {
            ConfigStore store = store(db, null);
            TestCertificates.Pair a = TestCertificates.valid("blog.example");
            Path dir = TestDatabases.tempDir();
            Files.writeString(dir.resolve("blog.pem"), a.certPem());
            Files.writeString(dir.resolve("blog.key"), a.keyPem());
            OriginPoolConfig pool = new OriginPoolConfig(null, List.of(new OriginConfig("http://127.0.0.1:9000", 1)), null, null, null);
            ZoneConfig zone = new ZoneConfig("blog", List.of("blog.example"), new CertificateConfig(dir.resolve("blog.pem").toString(),
                    dir.resolve("blog.key").toString()), pool, null, null, null, null, null, null, null);
            BulwarkConfig file = new BulwarkConfig(null, null, null, List.of(zone));
            assertThat(store.importConfig("ops", file, null).changed()).isTrue();
            CertificateConfig stored = store.zone("blog").orElseThrow().tls();
            assertThat(stored.cert()).isNull();
            assertThat(stored.certPem()).isEqualTo(a.certPem());
            assertThat(store.snapshot().config().zones().getFirst().tls().keyPem()).isEqualTo(a.keyPem());
            assertThat(store.importConfig("ops", file, null).changed()).as("importing the same files again changes nothing").isFalse();

            Files.delete(dir.resolve("blog.key"));
            refused(() -> store.importConfig("ops", file, null), "zones[0].tls.key", "cannot read");
        }
    }
}
