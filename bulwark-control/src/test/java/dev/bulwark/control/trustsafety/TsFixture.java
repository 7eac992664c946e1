package dev.bulwark.control.trustsafety;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.audit.AuditChain;
import dev.bulwark.control.audit.AuditLog;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.auth.Role;
import dev.bulwark.control.auth.TokenService;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.Database;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.spi.InMemorySnapshotBus;
import dev.bulwark.core.time.ManualClock;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A store with two zones (forum, shop), the trust-and-safety service on a manual clock, and
 * operators of each role: alice and bob (trust and safety), carol (a third T&S operator for
 * appeals), victor (viewer) and the owner.
 */
final class TsFixture implements AutoCloseable {
    final ManualClock clock = new ManualClock(java.time.Instant.parse("2026-09-01T08:00:00Z").toEpochMilli());
    final InMemorySnapshotBus bus = new InMemorySnapshotBus();
    final Database db;
    final ConfigStore store;
    final AuditLog audit;
    final TokenService tokens;
    final TrustSafety ts;
    final Principal alice, bob, carol, victor, owner;

    TsFixture(TestDatabases.Backend backend) {
        db = TestDatabases.open(backend);
        store = new ConfigStore(db.jdbi(), clock, null, bus);
        audit = new AuditLog(db.jdbi());
        tokens = new TokenService(db.jdbi(), clock);
        ts = new TrustSafety(db.jdbi(), clock, store, audit,
                new TrustSafety.Settings("https://abuse.bulwark.example", EscalationDetector.Settings.defaults(), Duration.ZERO));
        tokens.createAccount("default", "Default");
        owner = operator("owner", Role.OWNER);
        alice = operator("alice", Role.TRUST_SAFETY);
        bob = operator("bob", Role.TRUST_SAFETY);
        carol = operator("carol", Role.TRUST_SAFETY);
        victor = operator("victor", Role.VIEWER);
        zone("forum", List.of("forum.example", "*.forum.example"));
        zone("shop", List.of("shop.example"));
    }

    private Principal operator(String name, Role role) {
        tokens.createOperator(name, "default", name, role);
        Set<Permission> perms = EnumSet.copyOf(role.permissions());
        String secret = tokens.create(null, name, name + " token", Set.of("*"), perms, null).secret();
        return tokens.authenticate(secret).orElseThrow();
    }

    void zone(String id, List<String> hosts) {
        ObjectNode z = Canonical.JSON.createObjectNode();
        z.put("id", id);
        hosts.forEach(z.putArray("hostnames")::add);
        z.putObject("origins").putArray("servers").addObject().put("url", "http://127.0.0.1:9");
        store.createZone("owner", z, null);
    }

    AbuseReport report(String category, String url) {
        return ts.submit(new ReportSubmission(category, List.of(url), "what happened at " + url, null, null, null, false));
    }

    AuditChain.Verification verify() { return new AuditChain(audit).verify(); }

    long count(String table) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        ts.close();
        db.close();
    }
}
