package dev.bulwark.control.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.core.observe.AttackRecord;
import dev.bulwark.core.time.Clock;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The attack events the edge reported, durably: one row per event, replaced by each later report
 * of the same event (the edge sends the whole event every time). Listings are newest first,
 * paginated by a cursor over (start, id).
 */
public final class AttackStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = "id, zone_id, started_at, ended_at, peak_rate, baseline_rate, peak_sources, baseline_sources, "
            + "signature, source_prefixes, paths, methods, user_agents, action";

    private final Jdbi jdbi;
    private final Clock clock;

    public AttackStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Stores the event, or replaces the stored one with the same id. */
    public void put(AttackRecord r) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO attack_event (" + COLUMNS + ", updated_at) VALUES (:id, :zone, :start, :end, "
                        + ":peak, :base, :peakSources, :baseSources, :sig, :prefixes, :paths, :methods, :agents, :action, :now) "
                        + "ON CONFLICT (id) DO UPDATE SET zone_id = excluded.zone_id, started_at = excluded.started_at, "
                        + "ended_at = excluded.ended_at, peak_rate = excluded.peak_rate, baseline_rate = excluded.baseline_rate, "
                        + "peak_sources = excluded.peak_sources, baseline_sources = excluded.baseline_sources, signature = excluded.signature, "
                        + "source_prefixes = excluded.source_prefixes, paths = excluded.paths, methods = excluded.methods, "
                        + "user_agents = excluded.user_agents, action = excluded.action, updated_at = excluded.updated_at")
                .bind("id", r.id()).bind("zone", r.zone()).bind("start", r.startMillis())
                .bind("end", r.ongoing() ? null : r.endMillis())
                .bind("peak", r.peakRate()).bind("base", r.baselineRate())
                .bind("peakSources", r.peakSources()).bind("baseSources", r.baselineSources())
                .bind("sig", r.signature()).bind("prefixes", json(r.sourcePrefixes())).bind("paths", json(r.paths()))
                .bind("methods", json(r.methods())).bind("agents", json(r.userAgents())).bind("action", r.action())
                .bind("now", clock.currentTimeMillis()).execute());
    }

    /**
     * Events newest first after {@code cursor}: of {@code zone} (null: every zone), and only of the
     * zones in {@code visible} (null: no restriction).
     */
    public Page<AttackRecord> list(String zone, Set<String> visible, int limit, String cursor) {
        if (visible != null && (visible.isEmpty() || (zone != null && !visible.contains(zone)))) return new Page<>(List.of(), null);
        long afterStart = Long.MAX_VALUE;
        String afterId = "";
        if (cursor != null) {
            String c = ConfigStore.decodeCursor(cursor);
            int colon = c.indexOf(':');
            try {
                afterStart = Long.parseLong(c.substring(0, Math.max(0, colon)));
            } catch (NumberFormatException e) {
                throw StoreException.badParameter("cursor", "not a cursor returned by this API");
            }
            afterId = c.substring(colon + 1);
        }
        long s = afterStart;
        String id = afterId;
        boolean first = cursor == null;
        List<AttackRecord> rows = jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM attack_event WHERE 1 = 1"
                    + (zone == null ? "" : " AND zone_id = :zone")
                    + (visible == null ? "" : " AND zone_id IN (<visible>)")
                    + (first ? "" : " AND (started_at < :s OR (started_at = :s AND id < :id))")
                    + " ORDER BY started_at DESC, id DESC LIMIT :limit");
            if (zone != null) q.bind("zone", zone);
            if (visible != null) q.bindList("visible", new ArrayList<>(visible));
            if (!first) q.bind("s", s).bind("id", id);
            return q.bind("limit", limit + 1).map((rs, ctx) -> row(rs)).list();
        });
        List<AttackRecord> items = rows.subList(0, Math.min(limit, rows.size()));
        String next = rows.size() > limit ? ConfigStore.encodeCursor(items.getLast().startMillis() + ":" + items.getLast().id()) : null;
        return new Page<>(List.copyOf(items), next);
    }

    /** The zone's events that were going on at or after {@code fromMillis}, newest first, at most {@code max}. */
    public List<AttackRecord> since(String zone, long fromMillis, int max) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM attack_event WHERE zone_id = :zone "
                        + "AND (ended_at IS NULL OR ended_at >= :from) ORDER BY started_at DESC, id DESC LIMIT :max")
                .bind("zone", zone).bind("from", fromMillis).bind("max", max).map((rs, ctx) -> row(rs)).list());
    }

    private static AttackRecord row(ResultSet rs) throws SQLException {
        long end = rs.getLong("ended_at");
        if (rs.wasNull()) end = 0; // still going on
        return new AttackRecord(rs.getString("id"), rs.getString("zone_id"), rs.getLong("started_at"), end,
                rs.getDouble("peak_rate"), rs.getDouble("baseline_rate"), rs.getDouble("peak_sources"), rs.getDouble("baseline_sources"),
                rs.getString("signature"), strings(rs.getString("source_prefixes")), strings(rs.getString("paths")),
                strings(rs.getString("methods")), strings(rs.getString("user_agents")), rs.getString("action"));
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(String text) {
        try {
            return JSON.readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attack event list is not JSON", e);
        }
    }
}
