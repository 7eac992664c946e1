package dev.bulwark.control.trustsafety;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Column reads both JDBC drivers agree on (SQLite's does not map getObject(column, Long.class)). */
final class Rows {
    private Rows() {}

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
