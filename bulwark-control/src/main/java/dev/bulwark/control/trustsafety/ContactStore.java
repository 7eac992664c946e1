package dev.bulwark.control.trustsafety;

import dev.bulwark.control.audit.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/** Zone contacts and law-enforcement referrals; both audited. */
public final class ContactStore {
    private final Jdbi jdbi;

    public ContactStore(Jdbi jdbi) { this.jdbi = jdbi; }

    static Optional<ZoneContact> find(Handle h, String zone) {
        return h.createQuery("SELECT zone_id, owner_contact, owner_webhook, hosting_provider, hosting_contact, updated_at FROM zone_contact WHERE zone_id = :z")
                .bind("z", zone)
                .map((rs, ctx) -> new ZoneContact(rs.getString("zone_id"), rs.getString("owner_contact"), rs.getString("owner_webhook"),
                        rs.getString("hosting_provider"), rs.getString("hosting_contact"), rs.getLong("updated_at")))
                .findOne();
    }

    public Optional<ZoneContact> find(String zone) { return jdbi.withHandle(h -> find(h, zone)); }

    static void put(Handle tx, ZoneContact c, String actor) {
        Optional<ZoneContact> before = find(tx, c.zoneId());
        tx.createUpdate("DELETE FROM zone_contact WHERE zone_id = :z").bind("z", c.zoneId()).execute();
        tx.createUpdate("INSERT INTO zone_contact (zone_id, owner_contact, owner_webhook, hosting_provider, hosting_contact, updated_at) "
                        + "VALUES (:z, :oc, :ow, :hp, :hc, :t)")
                .bind("z", c.zoneId()).bind("oc", c.ownerContact()).bind("ow", c.ownerWebhook()).bind("hp", c.hostingProvider())
                .bind("hc", c.hostingContact()).bind("t", c.updatedAt()).execute();
        AuditLog.append(tx, c.updatedAt(), actor, "zone_contact.put", "zone:" + c.zoneId(),
                before.map(Canonical::of).orElse(null), Canonical.of(c));
    }

    static void refer(Handle tx, Referral r) {
        tx.createUpdate("INSERT INTO law_enforcement_referral (id, report_id, agency, reference, referred_by, referred_at) VALUES (:id, :r, :a, :ref, :by, :at)")
                .bind("id", r.id()).bind("r", r.reportId()).bind("a", r.agency()).bind("ref", r.reference()).bind("by", r.referredBy())
                .bind("at", r.referredAt()).execute();
        AuditLog.append(tx, r.referredAt(), r.referredBy(), "referral.create", ReportStore.target(r.reportId()), null, Canonical.of(r));
    }

    public List<Referral> referrals(String reportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, report_id, agency, reference, referred_by, referred_at FROM law_enforcement_referral "
                        + "WHERE report_id = :r ORDER BY referred_at").bind("r", reportId)
                .map((rs, ctx) -> new Referral(rs.getString("id"), rs.getString("report_id"), rs.getString("agency"),
                        rs.getString("reference"), rs.getString("referred_by"), rs.getLong("referred_at")))
                .list());
    }
}
