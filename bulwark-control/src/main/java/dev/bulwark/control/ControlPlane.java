package dev.bulwark.control;

import dev.bulwark.control.analytics.Analytics;
import dev.bulwark.control.analytics.AttackJournal;
import dev.bulwark.control.audit.AuditChain;
import dev.bulwark.control.audit.AuditLog;
import dev.bulwark.control.auth.Bootstrap;
import dev.bulwark.control.auth.TokenService;
import dev.bulwark.control.live.StorePoller;
import dev.bulwark.control.store.AttackStore;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.Database;
import dev.bulwark.control.store.TlsKeyVault;
import dev.bulwark.control.store.TlsKeys;
import dev.bulwark.control.trustsafety.TrustSafety;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.limit.InMemorySharedCounters;
import dev.bulwark.core.limit.SketchShape;
import dev.bulwark.core.spi.SharedCounters;
import dev.bulwark.core.spi.SnapshotBus;
import dev.bulwark.core.time.Clock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The control plane assembled: store, config versions, tokens, audit, analytics, and the
 * poller that keeps the {@link SnapshotBus} current. This is what the server wiring opens
 * once and hands to {@link dev.bulwark.control.api.ControlApi}; the edge subscribes to the
 * bus, records traffic into {@link #analytics()} and reports attack events to {@link #attackJournal()}.
 */
public final class ControlPlane implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlPlane.class);

    /**
     * How to open the control plane.
     *
     * @param dataDir      where SQLite's {@code control.db} and the bootstrap {@code admin.token} live
     * @param jdbcUrl      PostgreSQL JDBC URL, or null for SQLite
     * @param base         the node's own config (listeners, admin address, default lists); zones come from the store
     * @param pollInterval how often to look for commits made by other processes (null: 250 ms; zero: never)
     * @param keyFile      the secret that encrypts zone certificates' keys (null: {@code BULWARK_KEY_FILE}, else
     *                     {@code tls-key-encryption.key} in {@code dataDir}, created on first use)
     * @param keepVersions config versions kept for rollback (0: all; null: {@link ConfigStore#DEFAULT_KEEP_VERSIONS})
     */
    public record Settings(Path dataDir, String jdbcUrl, String dbUser, String dbPassword, BulwarkConfig base,
                           SnapshotBus bus, Clock clock, Duration pollInterval, Path keyFile, Integer keepVersions) {
        public Settings(Path dataDir, String jdbcUrl, String dbUser, String dbPassword, BulwarkConfig base,
                        SnapshotBus bus, Clock clock, Duration pollInterval) {
            this(dataDir, jdbcUrl, dbUser, dbPassword, base, bus, clock, pollInterval, null, null);
        }

        public static Settings sqlite(Path dataDir, SnapshotBus bus) {
            return new Settings(dataDir, null, null, null, null, bus, Clock.SYSTEM, null);
        }
    }

    private final Database database;
    private final ConfigStore store;
    private final TokenService tokens;
    private final AuditLog audit;
    private final AuditChain chain;
    private final Analytics analytics;
    private final AttackStore attacks;
    private final AttackJournal attackJournal;
    private final SnapshotBus bus;
    private final Clock clock;
    /** Where attempt limits count (sign-in): this process's, or the fleet's once the node joins one. */
    private volatile SharedCounters counters;
    private final StorePoller poller;
    private final TrustSafety trustSafety;
    private final String bootstrapToken;

    private ControlPlane(Settings s) {
        this.clock = s.clock() == null ? Clock.SYSTEM : s.clock();
        this.counters = new InMemorySharedCounters(SketchShape.SMALL, clock);
        this.bus = s.bus();
        this.database = Database.open(s.dataDir(), s.jdbcUrl(), s.dbUser(), s.dbPassword());
        try {
            TlsKeyVault vault = TlsKeys.openVault(database.jdbi(), TlsKeyVault.locate(s.keyFile(), s.dataDir()), true);
            this.store = new ConfigStore(database.jdbi(), clock, s.base(), bus, vault);
            if (s.keepVersions() != null) store.keepVersions(s.keepVersions());
            int sealed = vault.file() == null ? 0 : store.sealPlaintextKeys();
            if (sealed > 0) LOG.info("encrypted {} stored TLS keys with the key file {}", sealed, vault.file());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        this.tokens = new TokenService(database.jdbi(), clock);
        this.audit = new AuditLog(database.jdbi());
        this.chain = new AuditChain(audit);
        this.analytics = new Analytics(clock);
        this.attacks = new AttackStore(database.jdbi(), clock);
        this.trustSafety = new TrustSafety(database.jdbi(), clock, store, audit, TrustSafety.Settings.defaults());
        // the abuse form's puzzle key survives restarts, so a form open in a browser still sends
        if (s.dataDir() != null) {
            trustSafety.puzzleKeys(dev.bulwark.core.challenge.InMemoryKeyRing.persistent(s.dataDir().resolve("abuse-form-keys"), clock, 2));
        }
        try {
            this.bootstrapToken = Bootstrap.ensureOwner(tokens, s.dataDir()).orElse(null);
        } catch (RuntimeException e) {
            database.close(); // do not leak the pool (and SQLite's file lock) on a failed start
            throw e;
        }
        this.attackJournal = new AttackJournal(attacks);
        Duration interval = s.pollInterval() == null ? Duration.ofMillis(250) : s.pollInterval();
        this.poller = bus == null || interval.isZero() ? null : StorePoller.start(store, bus, interval);
    }

    public static ControlPlane open(Settings settings) { return new ControlPlane(settings); }

    public ConfigStore store() { return store; }

    public TokenService tokens() { return tokens; }

    public AuditLog audit() { return audit; }

    public AuditChain auditChain() { return chain; }

    public Analytics analytics() { return analytics; }

    /** The attack events the edge reported. */
    public AttackStore attacks() { return attacks; }

    /** Where the edge reports attack events (written to {@link #attacks()} off the caller's thread). */
    public AttackJournal attackJournal() { return attackJournal; }

    public SnapshotBus bus() { return bus; }

    public Clock clock() { return clock; }

    /** The counters attempt limits count in: per process until {@link #shareCounters} names the fleet's. */
    public SharedCounters counters() { return counters; }

    /** Counts attempt limits in the fleet's counters from now on, so every node of the fleet counts the same attempts. */
    public void shareCounters(SharedCounters fleet) { this.counters = java.util.Objects.requireNonNull(fleet); }

    public Database database() { return database; }

    /** Abuse reports, escalation, enforcement and the transparency report. */
    public TrustSafety trustSafety() { return trustSafety; }

    /** The admin token created by this start when the store was empty (shown once). */
    public Optional<String> bootstrapToken() { return Optional.ofNullable(bootstrapToken); }

    @Override
    public void close() {
        if (poller != null) poller.close();
        trustSafety.close();
        attackJournal.close();
        database.close();
    }
}
