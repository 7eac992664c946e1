package dev.bulwark.control.trustsafety;

import org.jdbi.v3.core.Handle;

/**
 * The solved puzzles already spent, so one proof-of-work solution lets exactly one report in.
 * Written in the report's own transaction (under the store's write lock): a refused or failed
 * submission spends nothing, and two submissions racing with one solution cannot both commit
 * (the nonce is the primary key). Rows are dropped once their puzzle has expired, when the
 * token itself is refused anyway.
 */
final class PowRedemptions {
    private PowRedemptions() {}

    /** Records {@code nonce} as spent; false when it already was. */
    static boolean redeem(Handle tx, String nonce, long expiresAt, long now) {
        tx.createUpdate("DELETE FROM pow_redemption WHERE expires_at <= :now").bind("now", now).execute();
        return tx.createUpdate("INSERT INTO pow_redemption (nonce, expires_at) VALUES (:n, :e) ON CONFLICT (nonce) DO NOTHING")
                .bind("n", nonce).bind("e", expiresAt).execute() == 1; // 0 rows: already spent
    }
}
