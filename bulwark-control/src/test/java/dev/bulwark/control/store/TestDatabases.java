package dev.bulwark.control.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The two store backends store tests run against: SQLite in a fresh temporary directory,
 * and a fresh database on one embedded PostgreSQL shared by the whole test JVM (started on
 * first use, stopped at exit).
 */
public final class TestDatabases {
    public enum Backend { SQLITE, POSTGRES }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {}

    public static Stream<Arguments> backends() {
        return Stream.of(Arguments.of(Backend.SQLITE), Arguments.of(Backend.POSTGRES));
    }

    public static Database open(Backend backend) { return openShared(backend, 1)[0]; }

    /**
     * {@code count} independent connections (each its own pool, as separate processes would
     * have) to one fresh store.
     */
    public static Database[] openShared(Backend backend, int count) {
        try {
            Database[] out = new Database[count];
            switch (backend) {
                case SQLITE -> {
                    Path dir = Files.createTempDirectory("bulwark-store-");
                    for (int i = 0; i < count; i++) out[i] = Database.sqlite(dir);
                }
                case POSTGRES -> {
                    String url = freshPostgresUrl();
                    for (int i = 0; i < count; i++) out[i] = Database.postgres(url, "postgres", null);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDBC URL of a fresh, empty (unmigrated) database on the embedded PostgreSQL; user {@code postgres}. */
    public static String freshPostgresUrl() {
        try {
            EmbeddedPostgres pg = postgres();
            String name = "bulwark_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
            try (Connection c = pg.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("CREATE DATABASE " + name);
            }
            return pg.getJdbcUrl("postgres", name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("bulwark-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized EmbeddedPostgres postgres() throws IOException {
        if (postgres == null) {
            postgres = RootSafePostgres.start();
            EmbeddedPostgres pg = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temp data directory is left for the OS
                }
            }));
        }
        return postgres;
    }
}
