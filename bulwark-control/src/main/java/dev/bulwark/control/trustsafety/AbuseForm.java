package dev.bulwark.control.trustsafety;

import dev.bulwark.control.store.FieldError;
import dev.bulwark.core.challenge.FormChallenge;

import java.util.List;

/**
 * The public abuse form, re-shown with the reporter's input and errors when refused. It carries
 * a signed proof-of-work puzzle that {@code challenge.js} solves in a Web Worker while the
 * reporter types; the answer goes into a hidden field and the send button is enabled once it is
 * there. Without JavaScript the page says the form needs it (there is no fallback: a wait
 * costs a spammer nothing), and the button stays disabled.
 */
final class AbuseForm {
    private AbuseForm() {}

    static String render(ReportSubmission s, List<FieldError> errors, FormChallenge.Puzzle puzzle, String scriptPath) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Report abuse</h1><p>Use this form to report a site protected by this service. Reports about threats to ")
                .append("someone's life are handled first. If someone is in immediate danger, call your local emergency number.</p>");
        if (!errors.isEmpty()) {
            b.append("<div class=\"err\" role=\"alert\"><p>Please correct the following:</p><ul>");
            for (FieldError e : errors) b.append("<li>").append(Html.esc(label(e.field()))).append(Html.esc(e.reason())).append("</li>");
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
        b.append("<input type=\"hidden\" name=\"pow_token\" value=\"").append(Html.esc(puzzle.token())).append("\">")
                .append("<input type=\"hidden\" id=\"pow_counter\" name=\"pow_counter\" value=\"\">");
        b.append("<div id=\"bulwark-challenge\" hidden data-script=\"").append(Html.esc(scriptPath))
                .append("\" data-nonce=\"").append(Html.esc(puzzle.nonceHex()))
                .append("\" data-difficulty=\"").append(puzzle.difficulty())
                .append("\" data-answer=\"pow_counter\" data-submit=\"send\">")
                .append("<progress id=\"bulwark-progress\" max=\"1\" value=\"0\" aria-label=\"Progress of the anti-spam check\"></progress>")
                .append("<p id=\"bulwark-status\" class=\"note\" aria-live=\"polite\">Starting the anti-spam check…</p></div>");
        b.append("<noscript><p class=\"err\">This form needs JavaScript: to keep out automated spam, your browser solves a small ")
                .append("puzzle before the report can be sent. Please turn JavaScript on for this page and reload it.</p></noscript>");
        b.append("<button type=\"submit\" id=\"send\" disabled>Send report</button></form>");
        b.append("<script src=\"").append(Html.esc(scriptPath)).append("\"></script>");
        return Html.page("Report abuse", b.toString());
    }

    private static String label(String field) {
        if (field.isEmpty()) return "";
        return field.equals("pow") ? "Anti-spam check: " : field + ": ";
    }
}
