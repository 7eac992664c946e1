package dev.bulwark.control.store;

import org.jdbi.v3.core.Handle;

import java.sql.SQLException;

/**
 * Serialises writers of the config history and audit chain across processes, so they queue
 * instead of racing and retrying (a fast writer could otherwise starve a slower one). On
 * PostgreSQL it takes a transaction-scoped advisory lock, released at commit or rollback; on
 * SQLite transactions already begin IMMEDIATE, which takes the database write lock up front.
 */
public final class WriteLock {
    private static final long KEY = 0x42_75_6C_77_61_72_6BL; // "Bulwark"

    private WriteLock() {}

    /** Call first inside a write transaction. */
    public static void acquire(Handle tx) {
        try {
            if ("PostgreSQL".equals(tx.getConnection().getMetaData().getDatabaseProductName())) {
                tx.createQuery("SELECT pg_advisory_xact_lock(:k)").bind("k", KEY).map((rs, ctx) -> Boolean.TRUE).findOne();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read database metadata", e);
        }
    }
}
