package dev.bulwark.control.trustsafety;

import dev.bulwark.control.store.FieldError;

import java.util.List;

/** The public abuse form: plain HTML that works without JavaScript, re-shown with the reporter's input and errors when refused. */
final class AbuseForm {
    private AbuseForm() {}

    static String render(ReportSubmission s, List<FieldError> errors) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Report abuse</h1><p>Use this form to report a site protected by this service. Reports about threats to ")
                .append("someone's life are handled first. If someone is in immediate danger, call your local emergency number.</p>");
        if (!errors.isEmpty()) {
            b.append("<div class=\"err\" role=\"alert\"><p>Please correct the following:</p><ul>");
            for (FieldError e : errors) b.append("<li>").append(Html.esc(e.field().isEmpty() ? "" : e.field() + ": ")).append(Html.esc(e.reason())).append("</li>");
            b.append("</ul></div>");
        }
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
        b.append("<button type=\"submit\">Send report</button></form>");
        return Html.page("Report abuse", b.toString());
    }
}
