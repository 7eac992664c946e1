package dev.bulwark.control.trustsafety;

import dev.bulwark.control.store.FieldError;
import dev.bulwark.core.challenge.FormChallenge;

import java.util.List;

/**
 * The parts every public form shares (the abuse form, the appeal form): the list of refused
 * fields, and the signed proof-of-work puzzle that {@code challenge.js} solves in a Web Worker
 * while the visitor types. The answer goes into the hidden {@code pow_counter} field next to
 * {@code pow_token}, and the button {@code #send} (disabled until then) comes on. Without
 * JavaScript the page says the form needs it (there is no fallback: a wait costs a spammer
 * nothing), and the button stays disabled.
 */
final class FormPuzzle {
    private FormPuzzle() {}

    /** The refused fields, one line each (the puzzle as "Anti-spam check"); nothing when there are none. */
    static String errors(List<FieldError> errors) {
        if (errors.isEmpty()) return "";
        StringBuilder b = new StringBuilder("<div class=\"err\" role=\"alert\"><p>Please correct the following:</p><ul>");
        for (FieldError e : errors) b.append("<li>").append(Html.esc(label(e.field()))).append(Html.esc(e.reason())).append("</li>");
        return b.append("</ul></div>").toString();
    }

    /**
     * The puzzle's hidden fields, its progress box and the no-script note, inside the form;
     * {@code what} names what the button sends ("the report").
     */
    static String fields(FormChallenge.Puzzle puzzle, String scriptPath, String what) {
        return "<input type=\"hidden\" name=\"pow_token\" value=\"" + Html.esc(puzzle.token()) + "\">"
                + "<input type=\"hidden\" id=\"pow_counter\" name=\"pow_counter\" value=\"\">"
                + "<div id=\"bulwark-challenge\" hidden data-script=\"" + Html.esc(scriptPath)
                + "\" data-nonce=\"" + Html.esc(puzzle.nonceHex())
                + "\" data-difficulty=\"" + puzzle.difficulty()
                + "\" data-answer=\"pow_counter\" data-submit=\"send\">"
                + "<progress id=\"bulwark-progress\" max=\"1\" value=\"0\" aria-label=\"Progress of the anti-spam check\"></progress>"
                + "<p id=\"bulwark-status\" class=\"note\" aria-live=\"polite\">Starting the anti-spam check…</p></div>"
                + "<noscript><p class=\"err\">This form needs JavaScript: to keep out automated spam, your browser solves a small "
                + "puzzle before " + Html.esc(what) + " can be sent. Please turn JavaScript on for this page and reload it.</p></noscript>";
    }

    /** The disabled send button, the end of the form and the puzzle script. */
    static String send(String label, String scriptPath) {
        return "<button type=\"submit\" id=\"send\" disabled>" + Html.esc(label) + "</button></form>"
                + "<script src=\"" + Html.esc(scriptPath) + "\"></script>";
    }

    private static String label(String field) {
        if (field.isEmpty()) return "";
        return field.equals("pow") ? "Anti-spam check: " : field + ": ";
    }
}
