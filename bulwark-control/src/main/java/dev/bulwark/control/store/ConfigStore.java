package dev.bulwark.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.audit.AuditLog;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.spi.SnapshotBus;
import dev.bulwark.core.time.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The stored configuration: zones (with their rules and lists) and the shared lists, and
 * its history of versions.
 *
 * <p>Design: every write is a function from the current document tree to a new one. In one
 * transaction the store reads the latest version's document, applies the function,
 * validates the result with the config loader (so the API accepts exactly what a YAML file
 * would), writes the new canonical document as version N+1 with author, time and message,
 * updates the per-zone index rows that changed, and appends one audit entry per changed
 * zone or list with its before and after text. Only after the commit is the new
 * {@link BulwarkConfig} published on the {@link SnapshotBus}. Rollback is an ordinary write
 * whose function returns an old version's document, so history is never rewritten.
 *
 * <p>Writers in this process are serialised by a lock; writers in other processes by
 * {@link WriteLock} (SQLite's IMMEDIATE transactions, PostgreSQL's advisory lock). The
 * primary key on the version number and the unique audit link are the backstop: a writer
 * that got past the lock anyway fails, and is retried against the new latest version.
 */
public final class ConfigStore {
    /** The result of a committed write. {@code changed} is false when the write changed nothing. */
    public record Commit(long version, boolean changed, BulwarkConfig config) {}

    /** A write: edits {@code doc} in place; returns the path validation errors are reported relative to. */
    @FunctionalInterface
    public interface Edit {
        String apply(ObjectNode doc);
    }

    /**
     * A write that also writes rows of its own in the same transaction (trust and safety records
     * an enforcement action with the zone change it causes): reads and writes {@code tx}, edits
     * {@code doc}, returns the validation focus like {@link Edit}.
     */
    @FunctionalInterface
    public interface TxEdit {
        String apply(Handle tx, ObjectNode doc);
    }

    /**
     * Rewrites, inside every change's transaction and after its edit, the parts of the document
     * another service owns, so that no ordinary edit (a zone replaced, a rollback, an import)
     * can undo them: trust and safety recomputes the enforcement of the acted-on zones the change
     * touched. {@code action} is the change's audit action, {@code old} the latest stored
     * document (read only), {@code doc} the edited one.
     */
    @FunctionalInterface
    public interface Guard {
        void apply(Handle tx, String action, ObjectNode old, ObjectNode doc);
    }

    private static final int MAX_ATTEMPTS = 5;
    /** Versions kept by default; older ones are pruned (0 keeps them all). */
    public static final int DEFAULT_KEEP_VERSIONS = 1000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final BulwarkConfig base;
    private final SnapshotBus bus;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConfigHistory history;
    private final TlsKeys tlsKeys;
    private volatile Guard guard = (tx, action, old, doc) -> {};
    private volatile int keepVersions = DEFAULT_KEEP_VERSIONS;

    /**
     * A store that cannot hold zone certificates' keys (no key file): writing or reading one
     * fails naming the missing key file. For stores that never see a certificate.
     */
    public ConfigStore(Jdbi jdbi, Clock clock, BulwarkConfig base, SnapshotBus bus) {
        this(jdbi, clock, base, bus, TlsKeyVault.unavailable("this store was opened without a key file"));
    }

    /**
     * @param base  the node's own settings (listeners, admin address); its zones are ignored, zones come from the store
     * @param bus   where committed snapshots are published; may be null
     * @param vault encrypts the private keys of zone certificates ({@link TlsKeys#openVault})
     */
    public ConfigStore(Jdbi jdbi, Clock clock, BulwarkConfig base, SnapshotBus bus, TlsKeyVault vault) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.base = base == null ? new BulwarkConfig(null, null, null, null) : base;
        this.bus = bus;
        this.history = new ConfigHistory(jdbi);
        this.tlsKeys = new TlsKeys(vault);
    }

    /**
     * Keeps the newest {@code versions} config versions (0: all); each commit prunes the older
     * ones, and with them the TLS keys no kept version names. Rollback reaches kept versions only.
     */
    public void keepVersions(int versions) {
        String problem = keepVersionsProblem(versions);
        if (problem != null) throw new IllegalArgumentException(problem);
        this.keepVersions = versions;
    }

    /**
     * Why {@link #keepVersions} refuses {@code versions}, or null when it takes it: keeping only
     * the current version would leave nothing to roll back to or diff against. The CLI checks its
     * flag with this before anything opens.
     */
    public static String keepVersionsProblem(int versions) {
        if (versions >= 2 || versions == 0) return null;
        return "must be 0 (keep all) or at least 2 (the current version and one to roll back to or diff against), not " + versions;
    }

    /**
     * At a control-plane start: checks the key file is the one the stored TLS keys were
     * encrypted with and encrypts those still in plain text (from before V113); returns how many.
     */
    public int sealPlaintextKeys() {
        return jdbi.inTransaction(tx -> {
            WriteLock.acquire(tx);
            return tlsKeys.sealPlaintext(tx);
        });
    }

    /** Installs the {@link Guard} every change passes through (one; wiring time). */
    public void guard(Guard g) { this.guard = g; }

    /** The versions behind the current config: list, show, diff. */
    public ConfigHistory history() { return history; }

    // ---- reads

    public long latestVersion() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(number), 0) FROM config_version").mapTo(Long.class).one());
    }

    /** The latest stored config merged into the node's base config. */
    public Snapshot snapshot() {
        return jdbi.withHandle(h -> {
            long v = latestVersion(h);
            return new Snapshot(v, merge(h, v == 0 ? null : document(h, v)));
        });
    }

    /** A version number and the config it holds. */
    public record Snapshot(long version, BulwarkConfig config) {}

    public Optional<ZoneConfig> zone(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT document FROM zone WHERE id = :id").bind("id", id)
                .mapTo(String.class).findOne()).map(ConfigDocuments::parseZone);
    }

    /**
     * Zones ordered by id, after {@code cursor}; {@code visible} limits the listing to those ids
     * (null: all).
     */
    public Page<ZoneConfig> zones(int limit, String cursor, Set<String> visible) {
        String after = cursor == null ? "" : decodeCursor(cursor);
        if (visible != null && visible.isEmpty()) return new Page<>(List.of(), null);
        List<String> docs = jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT document FROM zone WHERE id > :after"
                    + (visible == null ? "" : " AND id IN (<ids>)") + " ORDER BY id LIMIT :limit");
            if (visible != null) q.bindList("ids", new ArrayList<>(visible));
            return q.bind("after", after).bind("limit", limit + 1).mapTo(String.class).list();
        });
        List<ZoneConfig> zones = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, docs.size()); i++) zones.add(ConfigDocuments.parseZone(docs.get(i)));
        String next = docs.size() > limit ? encodeCursor(zones.get(zones.size() - 1).id()) : null;
        return new Page<>(zones, next);
    }

    /** The zone serving {@code hostname} (exact match on the stored hostname), if any. */
    public Optional<String> zoneOfHostname(String hostname) {
        return jdbi.withHandle(h -> h.createQuery("SELECT zone_id FROM zone_hostname WHERE hostname = :h")
                .bind("h", hostname.toLowerCase(java.util.Locale.ROOT)).mapTo(String.class).findOne());
    }

    public Map<String, List<String>> lists() {
        return jdbi.withHandle(h -> {
            Map<String, List<String>> out = new TreeMap<>();
            h.createQuery("SELECT name, items FROM shared_list ORDER BY name")
                    .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("items")))
                    .forEach(e -> out.put(e.getKey(), splitLines(e.getValue())));
            return out;
        });
    }

    // ---- writes

    /** Creates a zone; refused with CONFLICT when the id exists. */
    public Commit createZone(String actor, JsonNode zone, String message) {
        String id = textOf(zone, "id");
        return change(actor, message == null ? "create zone " + id : message, "zone.create", doc -> {
            ArrayNode zones = zones(doc);
            if (indexOf(zones, id) >= 0) throw StoreException.conflict("zone '" + id + "' already exists");
            zones.add(zone.deepCopy());
            return "zones[" + (zones.size() - 1) + "]";
        });
    }

    /** Replaces a zone's whole document; the id in the path wins over any in the body. */
    public Commit replaceZone(String actor, String id, JsonNode zone, String message) {
        return editZone(actor, id, "zone.update", message == null ? "update zone " + id : message, z -> {
            z.removeAll();
            z.setAll((ObjectNode) zone.deepCopy());
            z.put("id", id);
            return "";
        });
    }

    public Commit deleteZone(String actor, String id, String message) {
        return change(actor, message == null ? "delete zone " + id : message, "zone.delete", doc -> {
            ArrayNode zones = zones(doc);
            int i = indexOf(zones, id);
            if (i < 0) throw StoreException.notFound("no zone '" + id + "'");
            zones.remove(i);
            return "";
        });
    }

    /**
     * Edits one zone's tree in place. The function returns the path, relative to the zone,
     * that validation errors are reported against ("" for the zone itself).
     */
    public Commit editZone(String actor, String id, String action, String message, Function<ObjectNode, String> edit) {
        return editZone(actor, id, action, message, (tx, z) -> edit.apply(z));
    }

    /** {@link #editZone} whose function also gets the transaction, to write its own rows atomically with the change. */
    public Commit editZone(String actor, String id, String action, String message, java.util.function.BiFunction<Handle, ObjectNode, String> edit) {
        return change(actor, message, action, (TxEdit) (tx, doc) -> {
            ArrayNode zones = zones(doc);
            int i = indexOf(zones, id);
            if (i < 0) throw StoreException.notFound("no zone '" + id + "'");
            // the zone being changed goes last, so a clash with another zone is reported on it
            ObjectNode z = (ObjectNode) zones.remove(i);
            zones.add(z);
            String rel = edit.apply(tx, z);
            String focus = "zones[" + (zones.size() - 1) + "]";
            return rel.isEmpty() ? focus : rel.startsWith("[") ? focus + rel : focus + "." + rel;
        });
    }

    public Commit putList(String actor, String name, List<String> items, String message) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
            throw StoreException.invalid("name", "list name must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null || items.get(i).isBlank() || items.get(i).contains("\n")) {
                throw StoreException.invalid("items[" + i + "]", "list items must be non-empty single lines");
            }
        }
        return change(actor, message == null ? "set list " + name : message, "list.put", doc -> {
            ObjectNode lists = lists(doc);
            ArrayNode arr = lists.putArray(name);
            items.forEach(arr::add);
            return "lists." + name;
        });
    }

    public Commit deleteList(String actor, String name, String message) {
        return change(actor, message == null ? "delete list " + name : message, "list.delete", doc -> {
            if (lists(doc).remove(name) == null) throw StoreException.notFound("no list '" + name + "'");
            return "";
        });
    }

    /** Makes version {@code number}'s content current again, as a new version. */
    public Commit rollback(String actor, long number, String message) {
        String old = history.versionDocument(number).orElseThrow(() -> StoreException.notFound("no config version " + number));
        return change(actor, message == null ? "roll back to version " + number : message, "config.rollback", doc -> {
            ObjectNode target = ConfigDocuments.tree(old);
            doc.removeAll();
            doc.setAll(target);
            return "";
        });
    }

    /**
     * Replaces every stored zone and list with those of {@code config} (the file import). Zone
     * certificates given as files are read now and stored as PEM text (the key apart, see
     * {@link TlsKeys}); an unreadable file is refused naming the zone's field.
     */
    public Commit importConfig(String actor, BulwarkConfig config, String message) {
        ObjectNode imported = ConfigDocuments.tree(ConfigDocuments.canonical(config.lists(), config.zones()));
        ArrayNode zones = zones(imported);
        for (int i = 0; i < zones.size(); i++) {
            String id = zones.get(i).path("id").asText();
            CertificateConfig tls = config.zones().stream().filter(z -> z.id().equals(id)).findFirst().map(ZoneConfig::tls).orElse(null);
            if (tls != null) ((ObjectNode) zones.get(i)).set("tls", pemTree(tls, "zones[" + i + "].tls"));
        }
        return change(actor, message == null ? "import configuration" : message, "config.import", doc -> {
            doc.removeAll();
            doc.setAll(imported.deepCopy());
            return "";
        });
    }

    /** A certificate as the store takes it: the PEM text of its files, or its text as given. */
    private static ObjectNode pemTree(CertificateConfig c, String path) {
        ObjectNode t = ConfigDocuments.tree("{}");
        t.put("cert_pem", c.inline() ? c.certPem() : read(c.cert(), path + ".cert"));
        if (c.keyPem() != null || !c.inline()) t.put("key_pem", c.keyPem() != null ? c.keyPem() : read(c.key(), path + ".key"));
        if (c.keyRef() != null && c.keyPem() == null) t.put("key_ref", c.keyRef());
        return t;
    }

    private static String read(String file, String field) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file), StandardCharsets.US_ASCII);
        } catch (java.io.IOException | RuntimeException e) {
            throw StoreException.invalid(field, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The one write path: read latest, edit, validate, store version + index + audit in one
     * transaction, then publish. Retried when another process committed in between.
     */
    public Commit change(String actor, String message, String action, Edit edit) {
        return change(actor, message, action, (TxEdit) (tx, doc) -> edit.apply(doc));
    }

    /** {@link #change(String, String, String, Edit)} with a function that also writes in the transaction. */
    public Commit change(String actor, String message, String action, TxEdit edit) {
        writeLock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    Commit c = jdbi.inTransaction(tx -> commit(tx, actor, message, action, edit));
                    if (c.changed() && bus != null) bus.publish(c.version(), c.config());
                    return c;
                } catch (UnableToExecuteStatementException e) {
                    // only reachable when a writer bypassed the write lock; back off and retry on the new latest
                    if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(e)) throw e;
                    try {
                        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(5, 50));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private Commit commit(Handle tx, String actor, String message, String action, TxEdit edit) {
        WriteLock.acquire(tx);
        long latest = latestVersion(tx);
        String oldText = latest == 0 ? ConfigDocuments.canonical(Map.of(), List.of()) : document(tx, latest);
        ObjectNode old = ConfigDocuments.tree(oldText);
        ObjectNode doc = old.deepCopy();
        if (!doc.has("lists") || !doc.get("lists").isObject()) doc.putObject("lists");
        if (!doc.has("zones") || !doc.get("zones").isArray()) doc.putArray("zones");
        String focus = edit.apply(tx, doc);
        guard.apply(tx, action, old, doc);
        tlsKeys.seal(tx, doc, old, focus, clock.currentTimeMillis());
        checkRules(doc, focus);
        BulwarkConfig validated = ConfigDocuments.validate(doc, focus);
        String newText = ConfigDocuments.canonical(validated.lists(), validated.zones());
        if (newText.equals(oldText)) return new Commit(latest, false, merge(tx, newText));
        long version = latest + 1;
        long now = clock.currentTimeMillis();
        tx.createUpdate("INSERT INTO config_version (number, author, created_at, message, document) VALUES (:n, :a, :t, :m, :d)")
                .bind("n", version).bind("a", actor).bind("t", now).bind("m", message).bind("d", newText).execute();
        TlsKeys.markUsed(tx, validated.zones(), version);
        prune(tx, version);
        BulwarkConfig before = ConfigDocuments.parse(oldText);
        syncIndex(tx, before, validated, version, now);
        Map<String, String> oldParts = ConfigDocuments.parts(before), newParts = ConfigDocuments.parts(validated);
        for (String key : new TreeSet<>(union(oldParts.keySet(), newParts.keySet()))) {
            String x = oldParts.get(key), y = newParts.get(key);
            if (x != null && x.equals(y)) continue;
            AuditLog.append(tx, now, actor, action, key, x, y);
        }
        return new Commit(version, true, merge(tx, validated));
    }

    /** Drops the versions older than the kept ones and the TLS keys only they named, with the commit of {@code latest}. */
    private void prune(Handle tx, long latest) {
        int keep = keepVersions;
        if (keep == 0 || latest <= keep) return;
        long oldestKept = latest - keep + 1;
        tx.createUpdate("DELETE FROM config_version WHERE number < :n").bind("n", oldestKept).execute();
        TlsKeys.forgetUnused(tx, oldestKept);
    }

    /** Rule checks the file loader leaves to the rule engine: every rule needs a unique id. */
    private static void checkRules(ObjectNode doc, String focus) {
        List<FieldError> errors = new ArrayList<>();
        ArrayNode zones = zones(doc);
        for (int z = 0; z < zones.size(); z++) {
            for (String section : List.of("firewall", "rate_limits")) {
                JsonNode rules = zones.get(z).get(section);
                if (rules == null || !rules.isArray()) continue;
                Set<String> ids = new java.util.HashSet<>();
                for (int r = 0; r < rules.size(); r++) {
                    String path = "zones[" + z + "]." + section + "[" + r + "]";
                    JsonNode id = rules.get(r).get("id");
                    if (id == null || !id.isTextual() || id.asText().isBlank()) {
                        errors.add(new FieldError(ConfigDocuments.relative(path + ".id", focus), "a rule needs an id"));
                    } else if (!ids.add(id.asText())) {
                        errors.add(new FieldError(ConfigDocuments.relative(path + ".id", focus), "duplicate rule id '" + id.asText() + "'"));
                    }
                    JsonNode expr = rules.get(r).get("expression");
                    if (section.equals("firewall") && (expr == null || !expr.isTextual() || expr.asText().isBlank())) {
                        errors.add(new FieldError(ConfigDocuments.relative(path + ".expression", focus), "a firewall rule needs an expression"));
                    }
                }
            }
        }
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
    }

    private static void syncIndex(Handle tx, BulwarkConfig before, BulwarkConfig after, long version, long now) {
        Map<String, String> oldZones = new LinkedHashMap<>(), newZones = new LinkedHashMap<>();
        before.zones().forEach(z -> oldZones.put(z.id(), ConfigDocuments.canonical(z)));
        after.zones().forEach(z -> newZones.put(z.id(), ConfigDocuments.canonical(z)));
        // removals and changes first so a hostname can move between zones in one version
        for (String id : oldZones.keySet()) {
            if (!oldZones.get(id).equals(newZones.get(id))) {
                tx.createUpdate("DELETE FROM zone_hostname WHERE zone_id = :id").bind("id", id).execute();
                tx.createUpdate("DELETE FROM zone WHERE id = :id").bind("id", id).execute();
            }
        }
        for (ZoneConfig z : after.zones()) {
            String text = newZones.get(z.id());
            if (text.equals(oldZones.get(z.id()))) continue;
            tx.createUpdate("INSERT INTO zone (id, document, version, updated_at) VALUES (:id, :d, :v, :t)")
                    .bind("id", z.id()).bind("d", text).bind("v", version).bind("t", now).execute();
            for (String host : new TreeSet<>(z.hostnames().stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList())) {
                tx.createUpdate("INSERT INTO zone_hostname (hostname, zone_id) VALUES (:h, :id)").bind("h", host).bind("id", z.id()).execute();
            }
        }
        tx.createUpdate("DELETE FROM shared_list").execute();
        for (Map.Entry<String, List<String>> e : after.lists().entrySet()) {
            tx.createUpdate("INSERT INTO shared_list (name, items, version) VALUES (:n, :i, :v)")
                    .bind("n", e.getKey()).bind("i", ConfigDocuments.canonicalList(e.getValue())).bind("v", version).execute();
        }
    }

    // ---- helpers

    private BulwarkConfig merge(Handle h, String document) {
        return document == null ? merge(h, new BulwarkConfig(null, null, null, null)) : merge(h, ConfigDocuments.parse(document));
    }

    /**
     * The node's edge and admin settings with the stored zones. With a store, zones come only
     * from the store (a file's zones enter it through {@link #importConfig}); the base's lists
     * remain as defaults that a stored list of the same name replaces. Zone certificates get
     * their stored private keys back (the edge needs them; documents never hold them).
     */
    private BulwarkConfig merge(Handle h, BulwarkConfig stored) {
        Map<String, List<String>> lists = new TreeMap<>(base.lists());
        lists.putAll(stored.lists());
        return new BulwarkConfig(base.edge(), base.admin(), lists, tlsKeys.resolve(h, stored.zones()));
    }

    private static long latestVersion(Handle h) {
        return h.createQuery("SELECT COALESCE(MAX(number), 0) FROM config_version").mapTo(Long.class).one();
    }

    private static String document(Handle h, long version) {
        return h.createQuery("SELECT document FROM config_version WHERE number = :n").bind("n", version).mapTo(String.class).one();
    }

    static ArrayNode zones(ObjectNode doc) {
        JsonNode z = doc.get("zones");
        return z instanceof ArrayNode a ? a : doc.putArray("zones");
    }

    static ObjectNode lists(ObjectNode doc) {
        JsonNode l = doc.get("lists");
        return l instanceof ObjectNode o ? o : doc.putObject("lists");
    }

    static int indexOf(ArrayNode arr, String id) {
        for (int i = 0; i < arr.size(); i++) {
            JsonNode n = arr.get(i).get("id");
            if (n != null && n.asText().equals(id)) return i;
        }
        return -1;
    }

    private static String textOf(JsonNode node, String field) {
        if (node == null || !node.isObject()) throw StoreException.invalid("", "the body must be a JSON object");
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw StoreException.invalid(field, field + " is required");
        return v.asText();
    }

    private static List<String> splitLines(String s) {
        List<String> out = new ArrayList<>();
        for (String line : s.split("\n")) if (!line.isEmpty()) out.add(line);
        return out;
    }

    static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static boolean isUniqueViolation(UnableToExecuteStatementException e) {
        Throwable t = e.getCause();
        if (t instanceof SQLException s) {
            String state = s.getSQLState();
            return "23505".equals(state) || (s.getMessage() != null && s.getMessage().contains("UNIQUE constraint failed"))
                    || (s.getMessage() != null && s.getMessage().contains("PRIMARY KEY"));
        }
        return false;
    }

    static String encodeCursor(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw StoreException.badParameter("cursor", "not a cursor returned by this API");
        }
    }
}
