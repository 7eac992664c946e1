package dev.bulwark.control.web;

import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.trustsafety.Html;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's page frame and small HTML pieces. Every value that may come from a user
 * (zone names, hostnames, rule expressions, report text, operator names) goes through
 * {@link #e}; pages hold no inline script or style (the CSP forbids both).
 */
final class Layout {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** htmx settings: no eval, no injected styles, and 4xx answers are swapped in (they carry the error to show). */
    private static final String HTMX_CONFIG = "{\"allowEval\":false,\"allowScriptTags\":false,\"includeIndicatorStyles\":false,"
            + "\"selfRequestsOnly\":true,\"historyCacheSize\":0,\"responseHandling\":[{\"code\":\"204\",\"swap\":false},"
            + "{\"code\":\"[23]..\",\"swap\":true},{\"code\":\"4..\",\"swap\":true,\"error\":false},{\"code\":\"5..\",\"swap\":false,\"error\":true}]}";

    private Layout() {}

    static String e(String s) { return Html.esc(s); }

    static String time(long epochMillis) { return TIME.format(Instant.ofEpochMilli(epochMillis)); }

    /** A whole page; {@code session} null for the sign-in page. */
    static String page(String title, String active, Principal p, Sessions.Session session, String body) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>").append(e(title)).append(" · Bulwark</title>")
                .append("<meta name=\"htmx-config\" content=\"").append(e(HTMX_CONFIG)).append("\">");
        if (session != null) b.append("<meta name=\"csrf-token\" content=\"").append(e(session.csrf())).append("\">");
        b.append("<link rel=\"stylesheet\" href=\"").append(Assets.BASE).append("uPlot.min.css\">")
                .append("<link rel=\"stylesheet\" href=\"").append(Assets.BASE).append("app.css\">")
                .append("<script src=\"").append(Assets.BASE).append("htmx.min.js\" defer></script>")
                .append("<script src=\"").append(Assets.BASE).append("uPlot.min.js\" defer></script>")
                .append("<script src=\"").append(Assets.BASE).append("app.js\" defer></script>")
                .append("</head><body>");
        b.append("<header class=\"top\"><a class=\"brand\" href=\"/dashboard\"><span class=\"mark\">B</span>Bulwark</a>");
        if (p != null) {
            b.append("<nav>").append(nav("/dashboard", "Zones", "zones", active))
                    .append(nav("/dashboard/trust-safety", "Trust &amp; safety", "ts", active))
                    .append(nav("/dashboard/audit", "Audit", "audit", active)).append("</nav>")
                    .append("<div class=\"who\"><span class=\"op\">").append(e(p.operatorName())).append("</span>")
                    .append("<span class=\"badge role\">").append(e(p.role().name().toLowerCase(Locale.ROOT).replace('_', ' '))).append("</span>")
                    .append("<form method=\"post\" action=\"/dashboard/sign-out\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                    .append(e(session.csrf())).append("\"><button class=\"link\" type=\"submit\">Sign out</button></form></div>");
        }
        b.append("</header><main>").append(body).append("</main></body></html>");
        return b.toString();
    }

    private static String nav(String href, String label, String key, String active) {
        return "<a href=\"" + href + "\"" + (key.equals(active) ? " class=\"active\" aria-current=\"page\"" : "") + ">" + label + "</a>";
    }

    /** A refusal or failure in place of a fragment. */
    static String alert(String kind, String message) {
        return "<div class=\"alert " + kind + "\" role=\"alert\">" + e(message) + "</div>";
    }

    /** The reasons refused for {@code field} (matched on the last path segment, e.g. {@code firewall[2].expression}). */
    static String fieldErrors(List<FieldError> errors, String field) {
        StringBuilder b = new StringBuilder();
        for (FieldError fe : errors) {
            if (matches(fe.field(), field)) b.append("<p class=\"field-error\" data-field=\"").append(e(field)).append("\">").append(e(fe.reason())).append("</p>");
        }
        return b.toString();
    }

    /** The errors no form field shows. */
    static String otherErrors(List<FieldError> errors, List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (FieldError fe : errors) {
            if (fields.stream().noneMatch(f -> matches(fe.field(), f))) {
                b.append("<p class=\"field-error\">").append(fe.field().isEmpty() ? "" : e(fe.field()) + ": ").append(e(fe.reason())).append("</p>");
            }
        }
        return b.toString();
    }

    static boolean matches(String path, String field) {
        return path.equals(field) || path.endsWith("." + field) || path.endsWith("]" + field);
    }

    static String percent(long part, long whole) {
        if (whole <= 0) return "–";
        double p = 100.0 * part / whole;
        return p > 0 && p < 0.1 ? "<0.1%" : String.format(Locale.ROOT, "%.1f%%", p);
    }

    static String rate(double perSecond) {
        return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond) : String.format(Locale.ROOT, "%.1f", perSecond);
    }
}
