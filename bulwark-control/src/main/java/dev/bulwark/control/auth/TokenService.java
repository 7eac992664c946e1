package dev.bulwark.control.auth;

import dev.bulwark.control.audit.AuditLog;
import dev.bulwark.control.store.WriteLock;
import dev.bulwark.core.time.Clock;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Accounts, operators and API tokens.
 *
 * <p>A token reads {@code bwk_<id>_<secret>}: the id is a public lookup key (it appears in
 * listings and audit entries), the 256-bit secret is shown once at creation and only its
 * SHA-256 is stored. Verification looks the row up by id and compares hashes with
 * {@link MessageDigest#isEqual} (constant time); an unknown id still costs a comparison so
 * timing does not reveal which ids exist. Expired and revoked tokens are refused.
 */
public final class TokenService {
    public static final String PREFIX = "bwk_";
    private static final int ID_LENGTH = 12;
    private static final char[] ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final byte[] DUMMY_HASH = new byte[64];

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Creates an account; returns its id. */
    public String createAccount(String id, String name) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO account (id, name, created_at) VALUES (:id, :name, :at)")
                .bind("id", id).bind("name", name).bind("at", clock.currentTimeMillis()).execute());
        return id;
    }

    /** Creates an operator on first start (recorded in the audit log as "bootstrap"). */
    public String createOperator(String id, String accountId, String name, Role role) {
        return createOperator(null, id, accountId, name, role);
    }

    /**
     * Creates an operator, audited. {@code by} must be an owner or admin, and only an owner
     * creates owners; {@code accountId} null means the creator's account.
     */
    public String createOperator(Principal by, String id, String accountId, String name, Role role) {
        if (id == null || !id.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("id: operator id must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
        }
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: an operator needs a name");
        if (role == null) throw new IllegalArgumentException("role: one of owner, admin, trust_safety, viewer");
        if (by != null) {
            if (by.role() != Role.OWNER && by.role() != Role.ADMIN) throw new SecurityException("only owners and admins add operators");
            if (role == Role.OWNER && by.role() != Role.OWNER) throw new SecurityException("only an owner adds owners");
        }
        String account = accountId != null ? accountId : by == null ? null : accountOf(by.operatorId());
        if (account == null) throw new IllegalArgumentException("account: an operator belongs to an account");
        long now = clock.currentTimeMillis();
        jdbi.useTransaction(tx -> {
            WriteLock.acquire(tx);
            boolean exists = tx.createQuery("SELECT COUNT(*) FROM operator WHERE id = :id OR name = :name")
                    .bind("id", id).bind("name", name).mapTo(Long.class).one() > 0;
            if (exists) throw new IllegalArgumentException("id: an operator with this id or name exists");
            boolean accountExists = tx.createQuery("SELECT COUNT(*) FROM account WHERE id = :id").bind("id", account)
                    .mapTo(Long.class).one() > 0;
            if (!accountExists) throw new IllegalArgumentException("account: no account '" + account + "'");
            tx.createUpdate("INSERT INTO operator (id, account_id, name, role, created_at) VALUES (:id, :acc, :name, :role, :at)")
                    .bind("id", id).bind("acc", account).bind("name", name).bind("role", role.name()).bind("at", now).execute();
            AuditLog.append(tx, now, by == null ? "bootstrap" : by.actor(), "operator.create", "operator:" + id, null,
                    "name=" + name + " account=" + account + " role=" + role.name().toLowerCase(java.util.Locale.ROOT));
        });
        return id;
    }

    public List<Operator> operators() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, account_id, name, role, created_at FROM operator ORDER BY id")
                .map((rs, ctx) -> new Operator(rs.getString("id"), rs.getString("account_id"), rs.getString("name"),
                        Role.parse(rs.getString("role")), rs.getLong("created_at")))
                .list());
    }

    private String accountOf(String operatorId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT account_id FROM operator WHERE id = :id").bind("id", operatorId)
                .mapTo(String.class).findOne().orElse(null));
    }

    public boolean hasOperators() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM operator").mapTo(Long.class).one()) > 0;
    }

    /**
     * Issues a token for {@code operatorId}. The permissions must lie within the operator's
     * role and, when {@code issuer} is given, within the issuer's own token (no escalation).
     */
    public IssuedToken create(Principal issuer, String operatorId, String name, Set<String> zones,
                              Set<Permission> permissions, Long expiresAt) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: a token needs a name");
        if (zones == null || zones.isEmpty()) throw new IllegalArgumentException("zones: list zone ids, or \"*\" for every zone");
        if (permissions == null || permissions.isEmpty()) throw new IllegalArgumentException("permissions: at least one permission is required");
        if (expiresAt != null && expiresAt <= clock.currentTimeMillis()) throw new IllegalArgumentException("expires_at: must be in the future");
        Role role = jdbi.withHandle(h -> h.createQuery("SELECT role FROM operator WHERE id = :id").bind("id", operatorId)
                .mapTo(String.class).findOne()).map(Role::parse)
                .orElseThrow(() -> new IllegalArgumentException("operator: no operator '" + operatorId + "'"));
        if (!role.permissions().containsAll(permissions)) {
            throw new SecurityException("permissions exceed the operator's role " + role.name().toLowerCase());
        }
        if (issuer != null) {
            if (!issuer.permissions().containsAll(permissions)) throw new SecurityException("permissions exceed the issuing token's");
            if (!issuer.allZones() && (zones.contains("*") || !issuer.zones().containsAll(zones))) {
                throw new SecurityException("zones exceed the issuing token's");
            }
        }
        String id = randomId();
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        long now = clock.currentTimeMillis();
        ApiToken token = new ApiToken(id, operatorId, name, Set.copyOf(zones), Set.copyOf(permissions), now, expiresAt, null);
        jdbi.useTransaction(tx -> {
            WriteLock.acquire(tx);
            tx.createUpdate("INSERT INTO api_token (id, operator_id, name, secret_hash, zones, permissions, created_at, expires_at) "
                            + "VALUES (:id, :op, :name, :hash, :zones, :perms, :at, :exp)")
                    .bind("id", id).bind("op", operatorId).bind("name", name).bind("hash", hashHex(secret))
                    .bind("zones", String.join(",", new java.util.TreeSet<>(zones)))
                    .bind("perms", permissions.stream().map(Permission::wire).sorted().collect(Collectors.joining(",")))
                    .bind("at", now).bind("exp", expiresAt).execute();
            AuditLog.append(tx, now, issuer == null ? "bootstrap" : issuer.actor(), "token.create", "token:" + id,
                    null, describe(token));
        });
        return new IssuedToken(token, PREFIX + id + "_" + secret);
    }

    /** The principal behind a bearer value, or empty when it is malformed, unknown, expired or revoked. */
    public Optional<Principal> authenticate(String bearer) {
        if (bearer == null || !bearer.startsWith(PREFIX) || bearer.length() < PREFIX.length() + ID_LENGTH + 2
                || bearer.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return Optional.empty();
        }
        String id = bearer.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        String secret = bearer.substring(PREFIX.length() + ID_LENGTH + 1);
        byte[] presented = hashHex(secret).getBytes(StandardCharsets.US_ASCII);
        Optional<Row> row = row(id);
        byte[] stored = row.map(r -> r.hash().getBytes(StandardCharsets.US_ASCII)).orElse(DUMMY_HASH);
        boolean match = MessageDigest.isEqual(stored, presented);
        if (row.isEmpty() || !match) return Optional.empty();
        return principal(id, row.get());
    }

    /**
     * The principal of a token already verified once (a dashboard session holds its id, never its
     * secret): read afresh, so a revoked or expired token, or a demoted operator, counts at once.
     */
    public Optional<Principal> principalOf(String tokenId) {
        return tokenId == null ? Optional.empty() : row(tokenId).flatMap(r -> principal(tokenId, r));
    }

    private Optional<Row> row(String id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT t.id, t.operator_id, t.secret_hash, t.zones, t.permissions, t.expires_at, t.revoked_at, o.name, o.role "
                                + "FROM api_token t JOIN operator o ON o.id = t.operator_id WHERE t.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new Row(rs.getString("operator_id"), rs.getString("name"), rs.getString("role"),
                        rs.getString("secret_hash"), rs.getString("zones"), rs.getString("permissions"),
                        nullableLong(rs, "expires_at"), nullableLong(rs, "revoked_at")))
                .findOne());
    }

    private Optional<Principal> principal(String id, Row r) {
        long now = clock.currentTimeMillis();
        if (r.revokedAt() != null || (r.expiresAt() != null && r.expiresAt() <= now)) return Optional.empty();
        Role role = Role.parse(r.role());
        Set<Permission> perms = EnumSet.noneOf(Permission.class);
        for (String p : split(r.permissions())) perms.add(Permission.parse(p));
        perms.retainAll(role.permissions()); // a demoted operator's old tokens shrink with the role
        Set<String> zones = split(r.zones());
        return Optional.of(new Principal(r.operatorId(), r.operatorName(), role, id, Set.copyOf(perms),
                zones.contains("*"), Set.copyOf(zones)));
    }

    /** Tokens of {@code operatorId} (all operators when null), newest first. */
    public List<ApiToken> list(String operatorId) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT * FROM api_token" + (operatorId == null ? "" : " WHERE operator_id = :op")
                    + " ORDER BY created_at DESC, id");
            if (operatorId != null) q.bind("op", operatorId);
            return q.map((rs, ctx) -> new ApiToken(rs.getString("id"), rs.getString("operator_id"), rs.getString("name"),
                        split(rs.getString("zones")), parsePermissions(rs.getString("permissions")),
                        rs.getLong("created_at"), nullableLong(rs, "expires_at"), nullableLong(rs, "revoked_at")))
                    .list();
        });
    }

    /** Revokes a token and ends its dashboard sessions; false when there is no such active token. */
    public boolean revoke(Principal by, String tokenId) {
        long now = clock.currentTimeMillis();
        return jdbi.inTransaction(tx -> {
            WriteLock.acquire(tx);
            int n = tx.createUpdate("UPDATE api_token SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                    .bind("now", now).bind("id", tokenId).execute();
            if (n == 1) AuditLog.append(tx, now, by.actor(), "token.revoke", "token:" + tokenId, "active", "revoked");
            tx.createUpdate("DELETE FROM dashboard_session WHERE token_id = :id").bind("id", tokenId).execute();
            return n == 1;
        });
    }

    private record Row(String operatorId, String operatorName, String role, String hash, String zones,
                       String permissions, Long expiresAt, Long revokedAt) {}

    private static String describe(ApiToken t) {
        return "name=" + t.name() + " operator=" + t.operatorId() + " zones=" + new java.util.TreeSet<>(t.zones())
                + " permissions=" + t.permissions().stream().map(Permission::wire).sorted().toList()
                + " expires_at=" + t.expiresAt();
    }

    private static Set<String> split(String csv) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : csv.split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }

    private static Set<Permission> parsePermissions(String csv) {
        Set<Permission> out = EnumSet.noneOf(Permission.class);
        for (String s : split(csv)) out.add(Permission.parse(s));
        return out;
    }

    private static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private String randomId() {
        char[] c = new char[ID_LENGTH];
        for (int i = 0; i < c.length; i++) c[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
        return new String(c);
    }

    /** SHA-256 of {@code secret} in hex: what is stored instead of a token's secret or a dashboard session's id. */
    public static String hashHex(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
