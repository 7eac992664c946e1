package dev.bulwark.control.trustsafety;

import org.jdbi.v3.core.Handle;

import java.util.Optional;

/**
 * Decides who hears about a new report, inside the report's own transaction:
 * <ul>
 *   <li>the zone's owner, when the reporter allowed forwarding and the category permits it
 *       (never csam or ncii); the reporter's identity is left out unless the category needs a
 *       named complainant (a copyright notice must name the claimant);</li>
 *   <li>the reporter, when they left a contact, gets the hosting provider's contact for
 *       categories where the host can remove the content itself (everything but threats, whose
 *       urgency is ours to handle first).</li>
 * </ul>
 */
final class ReportRouter {
    private ReportRouter() {}

    static void route(Handle tx, AbuseReport r, long now) {
        Optional<ZoneContact> contact = ContactStore.find(tx, r.zoneId());
        if (r.forwardToOwner() && r.category().forwardable() && contact.isPresent()) {
            ZoneContact c = contact.get();
            String body = "An abuse report (" + r.category().label() + ") was filed about your site:\n" + String.join("\n", r.urls())
                    + "\n\n" + r.description()
                    + (r.category().needsNamedComplainant() ? "\n\nComplainant: " + r.reporterName() + " <" + r.reporterContact() + ">" : "")
                    + "\n\nReference: " + r.id();
            String subject = "Abuse report " + r.id() + " about " + r.zoneId();
            if (c.ownerWebhook() != null) Outbox.enqueue(tx, "owner_forward", c.ownerWebhook(), subject, body, r.id(), now);
            else if (c.ownerContact() != null) Outbox.enqueue(tx, "owner_forward", c.ownerContact(), subject, body, r.id(), now);
        }
        if (r.reporterContact() != null && r.category() != Category.THREAT_TO_LIFE
                && contact.isPresent() && contact.get().hostingContact() != null) {
            ZoneContact c = contact.get();
            Outbox.enqueue(tx, "reporter_hosting", r.reporterContact(), "Your report " + r.id() + ": hosting provider contact",
                    "The site you reported is hosted by " + (c.hostingProvider() == null ? "a provider" : c.hostingProvider())
                            + ", who can remove content from the server itself. You can contact them at " + c.hostingContact()
                            + ".\nWe are reviewing your report " + r.id() + " as well.", r.id(), now);
        }
    }
}
