package dev.bulwark.control.web;

/** The sign-in form: one field for an API token, posted once and exchanged for a session. */
final class SignInPage {
    private SignInPage() {}

    static String render(String message) {
        String body = "<section class=\"signin card\"><h1>Sign in</h1>"
                + "<p class=\"muted\">Paste an API token (<code>bwk_…</code>). It is checked once and exchanged for a session; "
                + "the dashboard then acts with exactly that token's permissions and zones. The token is not kept in the browser.</p>"
                + (message == null ? "" : Layout.alert("error", message))
                + "<form method=\"post\" action=\"/dashboard/sign-in\" autocomplete=\"off\">"
                + "<label for=\"token\">API token</label>"
                + "<input id=\"token\" name=\"token\" type=\"password\" required spellcheck=\"false\" placeholder=\"bwk_…\" autofocus>"
                + "<button type=\"submit\" class=\"primary\">Sign in</button></form>"
                + "<p class=\"muted small\">A first start writes the owner's token to <code>admin.token</code> in the data directory; "
                + "<code>bulwark token create</code> issues narrower ones.</p></section>";
        return Layout.page("Sign in", "", null, null, body);
    }
}
