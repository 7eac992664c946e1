package dev.bulwark.control.web;

import dev.bulwark.control.auth.IssuedToken;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.auth.Role;
import dev.bulwark.control.auth.TokenService;
import dev.bulwark.control.store.Database;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Dashboard sessions in the store, on SQLite and PostgreSQL, on a manual clock. */
class SessionsTest {
    private final ManualClock clock = new ManualClock(1_780_000_000_000L);

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void aSessionMadeOnOneNodeIsKnownToAnotherAndOnlyItsHashIsStored(TestDatabases.Backend backend) {
        Database[] dbs = TestDatabases.openShared(backend, 2);
        try (Database a = dbs[0]; Database b = dbs[1]) {
            Principal p = operator(a, "ada");
            Sessions onA = Sessions.defaults(a.jdbi(), clock);
            Sessions onB = Sessions.defaults(b.jdbi(), clock);
            Sessions.Session s = onA.open(p);

            Sessions.Session found = onB.find(s.id()).orElseThrow();
            assertThat(found.csrf()).isEqualTo(s.csrf());
            assertThat(found.tokenId()).isEqualTo(p.tokenId());
            assertThat(found.operatorId()).isEqualTo(p.operatorId());
            assertThat(onB.find(s.id() + "x")).isEmpty();
            assertThat(onB.find(s.csrf())).as("the CSRF token is not a session id").isEmpty();

            List<Map<String, Object>> rows = a.jdbi().withHandle(h -> h.createQuery("SELECT * FROM dashboard_session").mapToMap().list());
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("id_hash")).isEqualTo(TokenService.hashHex(s.id()));
            for (Object value : rows.get(0).values()) assertThat(String.valueOf(value)).doesNotContain(s.id());

            onB.end(s.id());
            assertThat(onA.find(s.id())).as("signed out on B, gone on A").isEmpty();
            assertThat(onA.size()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void idleAndAbsoluteLifetimesEndSessionsAndExpiredRowsAreDeleted(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            Principal p = operator(db, "ada");
            Sessions sessions = new Sessions(db.jdbi(), clock, Duration.ofMinutes(30), Duration.ofHours(2), 100);

            Sessions.Session idle = sessions.open(p);
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(idle.id())).isPresent(); // restarts the idle timer
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(idle.id())).isPresent();
            clock.advance(Duration.ofMinutes(30));
            assertThat(sessions.find(idle.id())).as("30 minutes without a request").isEmpty();
            assertThat(sessions.size()).as("deleted when presented").isZero();

            Sessions.Session busy = sessions.open(p);
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofMinutes(20));
                assertThat(sessions.find(busy.id())).isPresent();
            }
            clock.advance(Duration.ofMinutes(20)); // 2 hours after sign-in, used every 20 minutes
            assertThat(sessions.find(busy.id())).as("absolute lifetime").isEmpty();

            // expired sessions nobody presents again are swept at the next sign-in
            for (int i = 0; i < 3; i++) sessions.open(p);
            clock.advance(Duration.ofMinutes(31));
            Sessions.Session fresh = sessions.open(p);
            assertThat(sessions.size()).isEqualTo(1);
            assertThat(sessions.find(fresh.id())).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void revokingTheTokenDeletesItsSessionsAndNoOthers(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            TokenService tokens = new TokenService(db.jdbi(), clock);
            Principal ada = operator(db, "ada");
            IssuedToken second = tokens.create(null, ada.operatorId(), "second", Set.of("*"), EnumSet.of(Permission.ZONES_READ), null);
            Principal other = tokens.authenticate(second.secret()).orElseThrow();
            Sessions sessions = Sessions.defaults(db.jdbi(), clock);
            Sessions.Session s1 = sessions.open(ada);
            Sessions.Session s2 = sessions.open(ada);
            Sessions.Session kept = sessions.open(other);

            assertThat(tokens.revoke(ada, ada.tokenId())).isTrue();
            assertThat(sessions.find(s1.id())).isEmpty();
            assertThat(sessions.find(s2.id())).isEmpty();
            assertThat(sessions.find(kept.id())).isPresent();
            assertThat(sessions.size()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void theLeastRecentlyUsedSessionsMakeRoomAtTheCap(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            Principal p = operator(db, "ada");
            Sessions sessions = new Sessions(db.jdbi(), clock, Duration.ofMinutes(30), Duration.ofHours(12), 3);
            Sessions.Session oldest = sessions.open(p);
            clock.advance(Duration.ofSeconds(1));
            Sessions.Session second = sessions.open(p);
            clock.advance(Duration.ofSeconds(1));
            Sessions.Session third = sessions.open(p);
            clock.advance(Duration.ofSeconds(1));
            Sessions.Session fourth = sessions.open(p);
            assertThat(sessions.size()).isEqualTo(3);
            assertThat(sessions.find(oldest.id())).isEmpty();
            assertThat(List.of(second, third, fourth)).allSatisfy(s -> assertThat(sessions.find(s.id())).isPresent());
        }
    }

    private Principal operator(Database db, String name) {
        TokenService tokens = new TokenService(db.jdbi(), clock);
        tokens.createAccount("acme", "Acme");
        tokens.createOperator(name, "acme", name, Role.ADMIN);
        String secret = tokens.create(null, name, "dashboard", Set.of("*"), EnumSet.copyOf(Role.ADMIN.permissions()), null).secret();
        return tokens.authenticate(secret).orElseThrow();
    }
}
