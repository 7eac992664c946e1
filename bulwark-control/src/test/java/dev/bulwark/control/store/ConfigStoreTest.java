package dev.bulwark.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.audit.AuditChain;
import dev.bulwark.control.audit.AuditEntry;
import dev.bulwark.control.audit.AuditLog;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store against both backends: same class, same assertions. */
public class ConfigStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock();

    public static JsonNode zone(String id, String host, String origin) {
        ObjectNode z = JSON.createObjectNode();
        z.put("id", id);
        z.putArray("hostnames").add(host);
        z.putObject("origins").putArray("servers").addObject().put("url", origin);
        return z;
    }

    private ConfigStore store(Database db, InMemorySnapshotBus bus) {
        return new ConfigStore(db.jdbi(), clock, null, bus);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void createZoneCommitsVersionAuditAndPublishes(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            InMemorySnapshotBus bus = new InMemorySnapshotBus();
            AtomicLong seen = new AtomicLong();
            bus.subscribe((v, c) -> seen.set(v));
            ConfigStore store = store(db, bus);
            ConfigStore.Commit c = store.createZone("alice", zone("shop", "shop.example", "http://127.0.0.1:9000"), null);
            assertThat(c.version()).isEqualTo(1);
            assertThat(seen.get()).isEqualTo(1);
            assertThat(store.zone("shop")).get().extracting(ZoneConfig::hostnames).isEqualTo(List.of("shop.example"));
            assertThat(store.zoneOfHostname("SHOP.example")).contains("shop");
            assertThat(store.snapshot().config().zones()).extracting(ZoneConfig::id).containsExactly("shop");
            assertThat(store.history().versions(10, null).items()).extracting(ConfigVersion::author).containsExactly("alice");
            List<AuditEntry> audit = new AuditLog(db.jdbi()).page(0, 10);
            assertThat(audit).hasSize(1);
            assertThat(audit.get(0).target()).isEqualTo("zone:shop");
            assertThat(audit.get(0).before()).isNull();
            assertThat(audit.get(0).after()).contains("shop.example");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void invalidWritesNameTheFieldAndStoreNothing(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            ConfigStore store = store(db, null);
            assertThatThrownBy(() -> store.createZone("alice", zone("shop", "shop.example", "ftp://x"), null))
                    .isInstanceOfSatisfying(StoreException.class, e -> {
                        assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID);
                        assertThat(e.errors()).extracting(FieldError::field).containsExactly("origins.servers[0].url");
                    });
            store.createZone("alice", zone("a", "a.example", "http://127.0.0.1:1"), null);
            assertThatThrownBy(() -> store.createZone("alice", zone("b", "a.example", "http://127.0.0.1:1"), null))
                    .isInstanceOfSatisfying(StoreException.class, e ->
                            assertThat(e.errors()).extracting(FieldError::field).containsExactly("hostnames[0]"));
            ObjectNode unknown = (ObjectNode) zone("c", "c.example", "http://127.0.0.1:1");
            unknown.put("colour", "blue");
            assertThatThrownBy(() -> store.createZone("alice", unknown, null))
                    .isInstanceOfSatisfying(StoreException.class, e ->
                            assertThat(e.errors()).extracting(FieldError::field).containsExactly("colour"));
            assertThatThrownBy(() -> store.createZone("alice", zone("a", "x.example", "http://127.0.0.1:1"), null))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CONFLICT));
            assertThat(store.latestVersion()).isEqualTo(1);
            assertThat(new AuditLog(db.jdbi()).page(0, 10)).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void rollbackRestoresAnEarlierVersionAsANewOne(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            ConfigStore store = store(db, null);
            store.createZone("alice", zone("shop", "shop.example", "http://127.0.0.1:9000"), null);
            store.editZone("bob", "shop", "rule.create", "add rule", z -> {
                z.putArray("firewall").addObject().put("id", "no-admin").put("expression", "http.request.uri.path eq \"/admin\"").put("action", "block");
                return "firewall[0]";
            });
            assertThat(store.zone("shop").orElseThrow().firewall()).hasSize(1);
            List<ConfigHistory.Change> diff = store.history().diff(1, 2);
            assertThat(diff).singleElement().satisfies(ch -> {
                assertThat(ch.name()).isEqualTo("shop");
                assertThat(ch.diff()).contains("+- id: no-admin").contains("-firewall: []").contains("@@");
            });
            ConfigStore.Commit back = store.rollback("carol", 1, null);
            assertThat(back.version()).isEqualTo(3);
            assertThat(store.zone("shop").orElseThrow().firewall()).isEmpty();
            assertThat(store.history().versionDocument(3)).isEqualTo(store.history().versionDocument(1));
            assertThat(store.history().diff(1, 3)).isEmpty();
            // a write that changes nothing makes no version
            assertThat(store.rollback("carol", 1, null).changed()).isFalse();
            assertThat(store.latestVersion()).isEqualTo(3);
            store.deleteZone("carol", "shop", null);
            assertThat(store.zone("shop")).isEmpty();
            assertThat(store.zoneOfHostname("shop.example")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void zonesAndVersionsPageWithCursors(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            ConfigStore store = store(db, null);
            for (int i = 0; i < 5; i++) store.createZone("alice", zone("z" + i, "z" + i + ".example", "http://127.0.0.1:1"), null);
            List<String> ids = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Page<ZoneConfig> p = store.zones(2, cursor, null);
                p.items().forEach(z -> ids.add(z.id()));
                cursor = p.nextCursor();
                pages++;
            } while (cursor != null);
            assertThat(ids).containsExactly("z0", "z1", "z2", "z3", "z4");
            assertThat(pages).isEqualTo(3);
            assertThat(store.zones(10, null, java.util.Set.of("z1", "z3")).items()).extracting(ZoneConfig::id).containsExactly("z1", "z3");
            Page<ConfigVersion> v = store.history().versions(3, null);
            assertThat(v.items()).extracting(ConfigVersion::number).containsExactly(5L, 4L, 3L);
            assertThat(store.history().versions(3, v.nextCursor()).items()).extracting(ConfigVersion::number).containsExactly(2L, 1L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void auditChainPointsAtTheAlteredEntry(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            ConfigStore store = store(db, null);
            for (int i = 0; i < 4; i++) store.createZone("alice", zone("z" + i, "z" + i + ".example", "http://127.0.0.1:1"), null);
            store.putList("alice", "office", List.of("10.0.0.0/8"), null);
            AuditChain chain = new AuditChain(new AuditLog(db.jdbi()));
            assertThat(chain.verify().intact()).isTrue();
            assertThat(chain.verify().entriesChecked()).isEqualTo(5);

            // flip one byte of entry 3's after-state
            String after = db.jdbi().withHandle(h -> h.createQuery("SELECT after_state FROM audit_entry WHERE id = 3").mapTo(String.class).one());
            char[] chars = after.toCharArray();
            chars[5] ^= 1;
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE audit_entry SET after_state = :s WHERE id = 3").bind("s", new String(chars)).execute());
            AuditChain.Verification v = chain.verify();
            assertThat(v.intact()).isFalse();
            assertThat(v.firstAlteredId()).isEqualTo(3);

            // a forger who also recomputes entry 3's hash is caught at the link from entry 4
            AuditEntry e3 = new AuditLog(db.jdbi()).page(2, 1).get(0);
            String forged = dev.bulwark.control.audit.AuditHasher.hashOf(e3);
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE audit_entry SET hash = :h WHERE id = 3").bind("h", forged).execute());
            v = chain.verify();
            assertThat(v.firstAlteredId()).isEqualTo(3);
            assertThat(v.reason()).contains("entry 4");
        }
    }
}
