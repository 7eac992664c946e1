package dev.bulwark.control.trustsafety;

import dev.bulwark.control.store.FieldError;
import dev.bulwark.core.challenge.FormChallenge;

import java.util.List;

/**
 * The public abuse form, re-shown with the reporter's input and errors when refused. It carries
 * the signed proof-of-work puzzle of {@link FormPuzzle}, solved in the browser while the reporter types.
 */
final class AbuseForm {
    private AbuseForm() {}

    static String render(ReportSubmission s, List<FieldError> errors, FormChallenge.Puzzle puzzle, String scriptPath) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Report abuse</h1><p>Use this form to report a site protected by this service. Reports about threats to ")
                .append("someone's life are handled first. If someone is in immediate danger, call your local emergency number.</p>");
        b.append(FormPuzzle.errors(errors));
        b.append("<form method=\"post\" action=\"/abuse\">");
        b.append("<label for=\"category\">What is the problem?</label><select id=\"category\" name=\"category\" required><option value=\"\">Choose…</option>");
        for (Category c : Category.values()) {
            b.append("<option value=\"").append(c.wire()).append('"').append(c.wire().equals(s.category()) ? " selected" : "").append('>')
                    .append(Html.esc(c.label())).append("</option>");
        }
        b.append("</select>");
        b.append("<label for=\"urls\">Addresses (URLs), one per line</label><textarea id=\"urls\" name=\"urls\" required>")
                .append(Html.esc(String.join("\n", s.urls()))).append("</textarea>");
        b.append("<label for=\"description\">What is wrong?</label><textarea id=\"description\" name=\"description\" required>")
                .append(Html.esc(s.description())).append("</textarea>");
        b.append("<label for=\"evidence\">Evidence (optional)</label><textarea id=\"evidence\" name=\"evidence\">")
                .append(Html.esc(s.evidence())).append("</textarea>");
        b.append("<label for=\"reporter_name\">Your name (optional; required for copyright and trademark)</label>")
                .append("<input id=\"reporter_name\" name=\"reporter_name\" value=\"").append(Html.esc(s.reporterName())).append("\">");
        b.append("<label for=\"reporter_contact\">Your e-mail (optional; required for copyright and trademark)</label>")
                .append("<input id=\"reporter_contact\" name=\"reporter_contact\" type=\"email\" value=\"").append(Html.esc(s.reporterContact())).append("\">");
        b.append("<label><input type=\"checkbox\" name=\"forward_to_owner\" value=\"yes\" style=\"width:auto\"")
                .append(Boolean.TRUE.equals(s.forwardToOwner()) ? " checked" : "")
                .append("> Forward my report to the site's owner</label>")
                .append("<p class=\"note\">Reports of child sexual abuse material or non-consensual intimate imagery are never forwarded. ")
                .append("Your name and e-mail are only passed on where the law requires a named complainant (copyright, trademark).</p>");
        b.append(FormPuzzle.fields(puzzle, scriptPath, "the report"));
        b.append(FormPuzzle.send("Send report", scriptPath));
        return Html.page("Report abuse", b.toString());
    }
}
