package dev.bulwark.edge.policy.notice;

import dev.bulwark.core.config.EnforcementConfig;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trust-and-safety notices, right after zone routing so nothing of a terminated site runs any
 * further (no rules, no challenge, no origin).
 *
 * <ul>
 *   <li>{@code /.well-known/bulwark/abuse} on every zone redirects (302) to the control plane's
 *       public abuse form ({@code enforcement.report_url}), with the visited site as {@code url},
 *       so anyone can find where to report a site, even a terminated one. Chosen over serving the
 *       form here: the form then lives on one origin with its own rate limit and the edge stays
 *       free of control-plane state. Without a configured form the path answers 404.</li>
 *   <li>A terminated zone, or a request path matching a blocked URL, is answered with the notice:
 *       the reason in plain words, the date, a link to the public statement and, when the control
 *       plane stamped one ({@code appeal_url}), a link for the site owner to the decision's appeal
 *       form (only the owner can appeal, so the page says so); 451 (RFC 7725,
 *       with {@code Link: <statement>; rel="blocked-by"}) when the reason is legal, 403 otherwise;
 *       JSON when the client asks for {@code application/json}. The access log records action
 *       {@code noticed}.</li>
 * </ul>
 */
public final class NoticePhase implements Phase {
    public static final String ABUSE_PATH = "/.well-known/bulwark/abuse";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    @Override
    public Result run(RequestContext ctx) {
        EnforcementConfig e = ctx.zone().config().enforcement();
        String path = ctx.path();
        if (path.equals(ABUSE_PATH)) return abuseForm(ctx, e);
        if (e.terminated()) {
            return notice(ctx, "This site is no longer served", e.reason(), e.legal(), e.statementUrl(), e.since(), e.appealUrl(),
                    "notice:terminated");
        }
        EnforcementConfig.BlockedUrl b = e.blocked(path);
        if (b != null) {
            return notice(ctx, "This page is not available", b.reason(), b.legal(), b.statementUrl(), b.since(), b.appealUrl(),
                    "notice:blocked-url");
        }
        return Result.CONTINUE;
    }

    private static Result abuseForm(RequestContext ctx, EnforcementConfig e) {
        if (e.reportUrl() == null) {
            byte[] body = "No abuse contact is configured for this site.\n".getBytes(StandardCharsets.UTF_8);
            return ctx.answer(404, headers("text/plain; charset=utf-8", body.length), body, "noticed", "notice:abuse-form");
        }
        String site = (ctx.tls() ? "https://" : "http://") + ctx.host() + "/";
        String location = e.reportUrl() + (e.reportUrl().contains("?") ? "&" : "?") + "url=" + URLEncoder.encode(site, StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> h = headers("text/plain; charset=utf-8", 0);
        h.add(Map.entry("Location", location));
        return ctx.answer(302, h, new byte[0], "noticed", "notice:abuse-form");
    }

    private static Result notice(RequestContext ctx, String title, String reason, boolean legal, String statementUrl, String since,
                                 String appealUrl, String rule) {
        int status = legal ? 451 : 403;
        String date = since == null ? null : DATE.format(Instant.parse(since));
        byte[] body;
        String type;
        if (wantsJson(ctx.header("Accept"))) {
            type = "application/json";
            body = json(status, title, reason, legal, statementUrl, since, appealUrl, ctx.requestId()).getBytes(StandardCharsets.UTF_8);
        } else {
            type = "text/html; charset=utf-8";
            body = html(status, title, reason, statementUrl, date, appealUrl, ctx.requestId()).getBytes(StandardCharsets.UTF_8);
        }
        List<Map.Entry<String, String>> h = headers(type, body.length);
        h.add(Map.entry("Bulwark-Mitigated", "notice"));
        if (legal && statementUrl != null) h.add(Map.entry("Link", "<" + statementUrl + ">; rel=\"blocked-by\""));
        if (type.startsWith("text/html")) {
            h.add(Map.entry("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"));
        }
        return ctx.answer(status, h, ctx.method().equals("HEAD") ? new byte[0] : body, "noticed", rule);
    }

    private static List<Map.Entry<String, String>> headers(String type, int length) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        h.add(Map.entry("Content-Type", type));
        h.add(Map.entry("Content-Length", Integer.toString(length)));
        h.add(Map.entry("Cache-Control", "no-store"));
        return h;
    }

    /** JSON when the client lists application/json (or +json) before any HTML type. */
    static boolean wantsJson(String accept) {
        if (accept == null) return false;
        String a = accept.toLowerCase(Locale.ROOT);
        int json = a.indexOf("json");
        int html = a.indexOf("text/html");
        return json >= 0 && (html < 0 || json < html);
    }

    static String html(int status, String title, String reason, String statementUrl, String date, String appealUrl, String requestId) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<meta name=\"robots\" content=\"noindex\"><title>").append(esc(title)).append("</title><style>")
                .append("body{font:17px/1.55 system-ui,sans-serif;max-width:38rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}")
                .append(".m{color:#666;font-size:.85rem}</style></head><body><h1>").append(esc(title)).append("</h1>")
                .append("<p>").append(esc(reason)).append("</p>");
        if (date != null) b.append("<p>Since ").append(esc(date)).append(".</p>");
        if (statementUrl != null) {
            b.append("<p>Read the <a href=\"").append(esc(statementUrl)).append("\">public statement about this decision</a>.</p>");
        }
        if (appealUrl != null) {
            b.append("<p>Site owner? You can appeal this decision: <a href=\"").append(esc(appealUrl)).append("\">open the appeal form</a>.</p>");
        }
        b.append("<p class=\"m\">Status ").append(status).append(status == 451 ? " (unavailable for legal reasons)" : " (forbidden)")
                .append(". Request ").append(esc(requestId)).append(".</p></body></html>");
        return b.toString();
    }

    static String json(int status, String title, String reason, boolean legal, String statementUrl, String since, String appealUrl,
                       String requestId) {
        return "{\"status\":" + status + ",\"error\":\"" + (legal ? "unavailable_for_legal_reasons" : "forbidden") + "\",\"title\":" + str(title)
                + ",\"reason\":" + str(reason) + ",\"since\":" + str(since) + ",\"statement_url\":" + str(statementUrl)
                + ",\"appeal_url\":" + str(appealUrl) + ",\"request_id\":" + str(requestId) + "}";
    }

    private static String str(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
