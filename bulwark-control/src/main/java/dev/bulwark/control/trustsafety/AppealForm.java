package dev.bulwark.control.trustsafety;

import dev.bulwark.control.store.FieldError;
import dev.bulwark.core.challenge.FormChallenge;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The public appeal form of one enforcement decision, re-shown with the appellant's input and
 * errors when refused. It shows what was decided as the site's visitors and owner were told it
 * (kind, site, date, the public reason and statement), never who proposed or approved it nor the
 * reports it rests on, and carries the appeal puzzle of {@link FormPuzzle}. It posts to
 * {@code /appeal/{id}}, which files through {@link TrustSafety#appeal} like the JSON route.
 */
final class AppealForm {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private AppealForm() {}

    static String render(EnforcementAction a, String appellant, String statement, List<FieldError> errors,
                         FormChallenge.Puzzle puzzle, String scriptPath) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Appeal a decision</h1><p>If you run the site below and think this decision is wrong, tell us why. ")
                .append("Someone who took no part in the decision reviews your appeal.</p>");
        b.append(decision(a));
        b.append(FormPuzzle.errors(errors));
        b.append("<form method=\"post\" action=\"").append(Html.esc(TrustSafety.APPEAL_PAGE + a.id())).append("\">");
        b.append("<label for=\"appellant\">Your e-mail address (we send the outcome of your appeal there)</label>")
                .append("<input id=\"appellant\" name=\"appellant\" autocomplete=\"email\" required value=\"").append(Html.esc(appellant)).append("\">");
        b.append("<label for=\"statement\">Why should this decision be changed?</label>")
                .append("<textarea id=\"statement\" name=\"statement\" required>").append(Html.esc(statement)).append("</textarea>")
                .append("<p class=\"note\">Say what you have done about the problem, or why you think the decision is mistaken.</p>");
        b.append(FormPuzzle.fields(puzzle, scriptPath, "your appeal"));
        b.append(FormPuzzle.send("Send appeal", scriptPath));
        return Html.page("Appeal a decision", b.toString());
    }

    /** The confirmation: the appeal's reference and what happens next. */
    static String received(Appeal ap) {
        StringBuilder b = new StringBuilder("<h1>Appeal received</h1>");
        b.append("<p>Your appeal against decision ").append(Html.esc(ap.actionId())).append(" is stored. Its reference is <strong>")
                .append(Html.esc(ap.id())).append("</strong>; quote it if you write to us again.</p>");
        b.append("<h2>What happens next</h2><p>Our trust-and-safety team is told now. A member of it who took no part in the decision ")
                .append("reviews your appeal: either the decision is reversed and the site served as before, or it stands.</p>");
        if (TrustSafety.isContact(ap.appellant())) {
            b.append("<p>The outcome will be sent to <strong>").append(Html.esc(ap.appellant())).append("</strong>.</p>");
        } else {
            b.append("<p>You left no e-mail address or web address we can write to, so we cannot send you the outcome; ")
                    .append("quote the reference when you contact us.</p>");
        }
        return Html.page("Appeal received", b.toString());
    }

    /** No action has this id. */
    static String unknown(String id) {
        return Html.page("Decision not found", "<h1>Decision not found</h1><p>No decision has the reference <strong>" + Html.esc(id)
                + "</strong>. Check the reference in the message you received about your site (it starts with <code>act_</code>).</p>");
    }

    /** An action that exists but is not in force: only what the owner may know (a proposal's reason was never public). */
    static String closed(EnforcementAction a) {
        String why = switch (a.status()) {
            case REVERSED -> "This decision was lifted" + (a.reversedAt() == null ? "" : " on " + DATE.format(Instant.ofEpochMilli(a.reversedAt())))
                    + ": there is nothing left to appeal.";
            case APPLIED -> "This reference is a restoration of service, not a decision against a site.";
            case PROPOSED, REJECTED, EXPIRED -> "No decision in force has this reference, so there is nothing to appeal.";
        };
        return Html.page("This decision cannot be appealed", "<h1>This decision cannot be appealed</h1><p>" + Html.esc(why)
                + "</p><p class=\"note\">Reference " + Html.esc(a.id()) + ".</p>");
    }

    /** The decision as its public notice tells it. */
    private static String decision(EnforcementAction a) {
        StringBuilder b = new StringBuilder("<h2>The decision</h2><table>");
        row(b, "Reference", Html.esc(a.id()));
        row(b, "Decision", Html.esc(kind(a.type())));
        String site = a.hostnames().isEmpty() ? "zone " + a.zoneId() : String.join(", ", a.hostnames()) + " (zone " + a.zoneId() + ")";
        row(b, "Site", Html.esc(site));
        if (!a.urls().isEmpty()) row(b, "Blocked addresses", String.join("<br>", a.urls().stream().map(Html::esc).toList()));
        if (a.appliedAt() != null) row(b, "Since", Html.esc(DATE.format(Instant.ofEpochMilli(a.appliedAt()))));
        row(b, "Reason", Html.esc(a.reason()) + (a.legal() ? " (for legal reasons)" : ""));
        if (a.statementUrl() != null) {
            row(b, "Statement", "<a href=\"" + Html.esc(a.statementUrl()) + "\">the public statement about this decision</a>");
        }
        return b.append("</table>").toString();
    }

    private static void row(StringBuilder b, String name, String html) {
        b.append("<tr><th>").append(name).append("</th><td>").append(html).append("</td></tr>");
    }

    private static String kind(ActionType t) {
        return switch (t) {
            case WARN -> "Warning (the site is served as before)";
            case RESTRICT -> "Restriction (every visitor is challenged before reaching the site)";
            case BLOCK_URLS -> "Addresses blocked (they show a notice instead of the page)";
            case TERMINATE -> "Service terminated (every address of the site shows a notice)";
            case RESTORE -> "Service restored";
        };
    }
}
