package dev.bulwark.control.auth;

import dev.bulwark.control.store.Database;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceTest {
    private final ManualClock clock = new ManualClock();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void tokensAreHashedScopedExpiringAndRevocable(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            TokenService tokens = new TokenService(db.jdbi(), clock);
            tokens.createAccount("acme", "Acme");
            tokens.createOperator("ts1", "acme", "tess", Role.TRUST_SAFETY);
            IssuedToken t = tokens.create(null, "ts1", "triage", Set.of("shop"), EnumSet.of(Permission.AUDIT_READ),
                    clock.currentTimeMillis() + Duration.ofHours(1).toMillis());

            // only the hash is stored
            String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT secret_hash FROM api_token").mapTo(String.class).one());
            assertThat(t.secret()).doesNotContain(stored);
            assertThat(stored).hasSize(64).isEqualTo(TokenService.hashHex(t.secret().substring(17)));

            Principal p = tokens.authenticate(t.secret()).orElseThrow();
            assertThat(p.operatorName()).isEqualTo("tess");
            assertThat(p.can(Permission.AUDIT_READ)).isTrue();
            assertThat(p.can(Permission.ZONES_WRITE)).isFalse();
            assertThat(p.canSeeZone("shop")).isTrue();
            assertThat(p.canSeeZone("blog")).isFalse();

            // one wrong character anywhere is refused
            char[] c = t.secret().toCharArray();
            c[c.length - 1] = c[c.length - 1] == 'A' ? 'B' : 'A';
            assertThat(tokens.authenticate(new String(c))).isEmpty();
            assertThat(tokens.authenticate("bwk_short")).isEmpty();
            assertThat(tokens.authenticate(null)).isEmpty();

            clock.advance(Duration.ofHours(1));
            assertThat(tokens.authenticate(t.secret())).as("expired").isEmpty();

            IssuedToken t2 = tokens.create(null, "ts1", "second", Set.of("*"), EnumSet.of(Permission.ZONES_READ), null);
            assertThat(tokens.authenticate(t2.secret()).orElseThrow().allZones()).isTrue();
            assertThat(tokens.revoke(p, t2.token().id())).isTrue();
            assertThat(tokens.revoke(p, t2.token().id())).isFalse();
            assertThat(tokens.authenticate(t2.secret())).as("revoked").isEmpty();
            assertThat(tokens.list("ts1")).extracting(ApiToken::name).containsExactlyInAnyOrder("triage", "second");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bulwark.control.store.TestDatabases#backends")
    void rolesBoundTokensAndTokensBoundTheTokensTheyIssue(TestDatabases.Backend backend) {
        try (Database db = TestDatabases.open(backend)) {
            TokenService tokens = new TokenService(db.jdbi(), clock);
            tokens.createAccount("acme", "Acme");
            tokens.createOperator("v", "acme", "vic", Role.VIEWER);
            tokens.createOperator("a", "acme", "ada", Role.ADMIN);
            assertThatThrownBy(() -> tokens.create(null, "v", "x", Set.of("*"), EnumSet.of(Permission.ZONES_WRITE), null))
                    .isInstanceOf(SecurityException.class).hasMessageContaining("viewer");
            Principal narrow = tokens.authenticate(tokens.create(null, "a", "n", Set.of("shop"),
                    EnumSet.of(Permission.TOKENS_WRITE, Permission.ZONES_READ), null).secret()).orElseThrow();
            assertThatThrownBy(() -> tokens.create(narrow, "a", "wider", Set.of("shop"), EnumSet.of(Permission.ZONES_WRITE), null))
                    .isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> tokens.create(narrow, "a", "all zones", Set.of("*"), EnumSet.of(Permission.ZONES_READ), null))
                    .isInstanceOf(SecurityException.class);
            assertThat(tokens.create(narrow, "a", "same", Set.of("shop"), EnumSet.of(Permission.ZONES_READ), null).secret()).startsWith("bwk_");
            assertThatThrownBy(() -> tokens.create(null, "a", " ", Set.of("*"), EnumSet.of(Permission.ZONES_READ), null))
                    .hasMessageStartingWith("name:");
            assertThatThrownBy(() -> tokens.create(null, "nobody", "x", Set.of("*"), EnumSet.of(Permission.ZONES_READ), null))
                    .hasMessageStartingWith("operator:");
        }
    }

    @Test
    void bootstrapCreatesTheOwnerOnceAndWritesTheTokenPrivately() throws Exception {
        Path dir = TestDatabases.tempDir();
        try (Database db = Database.sqlite(dir)) {
            TokenService tokens = new TokenService(db.jdbi(), clock);
            String token = Bootstrap.ensureOwner(tokens, dir).orElseThrow();
            Path file = dir.resolve(Bootstrap.TOKEN_FILE);
            assertThat(Files.readString(file).trim()).isEqualTo(token);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            Principal owner = tokens.authenticate(token).orElseThrow();
            assertThat(owner.role()).isEqualTo(Role.OWNER);
            assertThat(owner.allZones()).isTrue();
            assertThat(owner.permissions()).containsExactlyInAnyOrder(Permission.values());
            assertThat(Bootstrap.ensureOwner(tokens, dir)).isEmpty();
            assertThat(List.of(Files.readString(file).trim())).containsExactly(token);
        }
    }
}
