package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.store.FieldError;
import io.javalin.http.Context;

import java.util.List;

/**
 * Writes RFC 9457 problem details ({@code application/problem+json}): {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance} and, for validation
 * failures, {@code errors: [{field, reason}]} naming each refused field.
 */
final class Problem {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problem() {}

    static void write(Context ctx, int status, String title, String detail, List<FieldError> errors) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "https://bulwark.dev/problems/" + slug(title));
        p.put("title", title);
        p.put("status", status);
        if (detail != null) p.put("detail", detail);
        p.put("instance", ctx.path());
        if (!errors.isEmpty()) {
            ArrayNode arr = p.putArray("errors");
            for (FieldError e : errors) arr.addObject().put("field", e.field()).put("reason", e.reason());
        }
        ctx.status(status).contentType(CONTENT_TYPE).result(p.toString());
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
