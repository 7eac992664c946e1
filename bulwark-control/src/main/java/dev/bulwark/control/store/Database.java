package dev.bulwark.control.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The control plane's connection to its store: a HikariCP pool, Flyway migrations applied
 * at open, and a Jdbi handle factory. Two backends share the same migrations and queries:
 *
 * <ul>
 *   <li>SQLite (default), a file under the data directory in WAL mode with
 *       {@code synchronous=FULL}, so a commit that returned survives SIGKILL and power loss;
 *       transactions begin IMMEDIATE so a writer takes the lock up front instead of failing
 *       half way, and a busy timeout makes a second process wait instead of erroring.</li>
 *   <li>PostgreSQL when a JDBC URL is configured (a provider's shared store).</li>
 * </ul>
 */
public final class Database implements AutoCloseable {
    public enum Kind { SQLITE, POSTGRES }

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Kind kind;

    private Database(HikariDataSource dataSource, Kind kind, boolean migrate) {
        this.dataSource = dataSource;
        this.kind = kind;
        if (migrate) Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens (creating if needed) {@code control.db} in {@code dataDir}. */
    public static Database sqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve("control.db").toAbsolutePath());
        c.addDataSourceProperty("journal_mode", "WAL");
        c.addDataSourceProperty("synchronous", "FULL");
        c.addDataSourceProperty("busy_timeout", "10000");
        c.addDataSourceProperty("foreign_keys", "true");
        c.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        c.setMaximumPoolSize(4);
        c.setPoolName("bulwark-sqlite");
        return new Database(new HikariDataSource(c), Kind.SQLITE, true);
    }

    /** Connects to PostgreSQL at {@code jdbcUrl} ({@code jdbc:postgresql://host/db}). */
    public static Database postgres(String jdbcUrl, String user, String password) {
        return postgres(jdbcUrl, user, password, false);
    }

    /**
     * Connects to the fleet's PostgreSQL to read configuration only (an edge-only node): read-only
     * connections, no migrations (the control-plane nodes own the schema), a small pool. A
     * database role with {@code SELECT} on {@code config_version} is enough.
     */
    public static Database postgresReadOnly(String jdbcUrl, String user, String password) {
        return postgres(jdbcUrl, user, password, true);
    }

    private static Database postgres(String jdbcUrl, String user, String password, boolean readOnly) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("store url must start with jdbc:postgresql: (got '" + jdbcUrl + "')");
        }
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbcUrl);
        if (user != null) c.setUsername(user);
        if (password != null) c.setPassword(password);
        c.setMaximumPoolSize(readOnly ? 2 : 8);
        c.setReadOnly(readOnly);
        if (readOnly) c.setInitializationFailTimeout(-1); // an edge may start while the store is away; its poller retries
        c.setPoolName(readOnly ? "bulwark-postgres-ro" : "bulwark-postgres");
        return new Database(new HikariDataSource(c), Kind.POSTGRES, !readOnly);
    }

    /** SQLite in {@code dataDir} unless {@code jdbcUrl} is given. */
    public static Database open(Path dataDir, String jdbcUrl, String user, String password) {
        return jdbcUrl == null || jdbcUrl.isBlank() ? sqlite(dataDir) : postgres(jdbcUrl, user, password);
    }

    public Jdbi jdbi() { return jdbi; }

    public Kind kind() { return kind; }

    @Override
    public void close() { dataSource.close(); }
}
