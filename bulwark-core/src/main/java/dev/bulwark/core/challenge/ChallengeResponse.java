package dev.bulwark.core.challenge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A complete HTTP answer produced by the challenge logic: status, headers (in order, names
 * as sent; Set-Cookie may repeat) and body. The edge copies it onto the wire as is.
 */
public record ChallengeResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    public ChallengeResponse {
        headers = List.copyOf(headers);
    }

    /** First value of a header (case-insensitive), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
        return null;
    }

    public String bodyText() { return new String(body, StandardCharsets.UTF_8); }

    static Builder status(int status) { return new Builder(status); }

    static final class Builder {
        private final int status;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();

        private Builder(int status) { this.status = status; }

        Builder header(String name, String value) {
            headers.add(Map.entry(name, value));
            return this;
        }

        ChallengeResponse body(String contentType, byte[] body, boolean head) {
            header("Content-Type", contentType);
            header("Content-Length", Integer.toString(body.length));
            return new ChallengeResponse(status, Collections.unmodifiableList(headers), head ? new byte[0] : body);
        }

        ChallengeResponse empty() {
            header("Content-Length", "0");
            return new ChallengeResponse(status, headers, new byte[0]);
        }
    }
}
