package dev.bulwark.control.store;

import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The config versions: every committed write is one, holding the whole stored config as
 * canonical YAML with its author, time and message. Read-only; {@link ConfigStore} writes
 * them, and rolls back by committing an old version's document as a new one.
 */
public final class ConfigHistory {
    /** What changed between two versions: one entry per zone or list that differs. */
    public record Change(String kind, String name, String change, String diff) {}

    private final Jdbi jdbi;

    ConfigHistory(Jdbi jdbi) { this.jdbi = jdbi; }

    /** Versions newest first, below {@code cursor}. */
    public Page<ConfigVersion> versions(int limit, String cursor) {
        long before;
        try {
            before = cursor == null ? Long.MAX_VALUE : Long.parseLong(ConfigStore.decodeCursor(cursor));
        } catch (NumberFormatException e) {
            throw StoreException.badParameter("cursor", "not a cursor returned by this API");
        }
        List<ConfigVersion> rows = jdbi.withHandle(h -> h.createQuery(
                        "SELECT number, author, created_at, message FROM config_version WHERE number < :before ORDER BY number DESC LIMIT :limit")
                .bind("before", before).bind("limit", limit + 1)
                .map((rs, ctx) -> new ConfigVersion(rs.getLong("number"), rs.getString("author"), rs.getLong("created_at"), rs.getString("message")))
                .list());
        List<ConfigVersion> page = rows.subList(0, Math.min(limit, rows.size()));
        return new Page<>(List.copyOf(page), rows.size() > limit ? ConfigStore.encodeCursor(Long.toString(page.get(page.size() - 1).number())) : null);
    }

    public Optional<ConfigVersion> version(long number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT number, author, created_at, message FROM config_version WHERE number = :n")
                .bind("n", number)
                .map((rs, ctx) -> new ConfigVersion(rs.getLong("number"), rs.getString("author"), rs.getLong("created_at"), rs.getString("message")))
                .findOne());
    }

    /** The canonical stored document of a version (lists and zones as YAML). */
    public Optional<String> versionDocument(long number) {
        if (number == 0) return Optional.of(ConfigDocuments.canonical(Map.of(), List.of()));
        return jdbi.withHandle(h -> h.createQuery("SELECT document FROM config_version WHERE number = :n").bind("n", number)
                .mapTo(String.class).findOne());
    }

    /** Per zone and list, a unified diff of the canonical text between two versions (0 is the empty config). */
    public List<Change> diff(long from, long to) {
        String a = versionDocument(from).orElseThrow(() -> StoreException.notFound("no config version " + from));
        String b = versionDocument(to).orElseThrow(() -> StoreException.notFound("no config version " + to));
        Map<String, String> before = ConfigDocuments.parts(ConfigDocuments.parse(a));
        Map<String, String> after = ConfigDocuments.parts(ConfigDocuments.parse(b));
        List<Change> changes = new ArrayList<>();
        for (String key : new TreeSet<>(ConfigStore.union(before.keySet(), after.keySet()))) {
            String x = before.get(key), y = after.get(key);
            if (x != null && x.equals(y)) continue;
            String[] kn = key.split(":", 2);
            String change = x == null ? "added" : y == null ? "removed" : "changed";
            changes.add(new Change(kn[0], kn[1], change,
                    LineDiff.unified(key + "@" + from, key + "@" + to, x == null ? "" : x, y == null ? "" : y)));
        }
        return changes;
    }
}
