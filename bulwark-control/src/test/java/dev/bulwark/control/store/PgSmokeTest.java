package dev.bulwark.control.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PgSmokeTest {
    @Test
    void startsAsRoot() throws Exception {
        try (var pg = RootSafePostgres.start(); var c = pg.getPostgresDatabase().getConnection();
             var rs = c.createStatement().executeQuery("select 41 + 1")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }
}
