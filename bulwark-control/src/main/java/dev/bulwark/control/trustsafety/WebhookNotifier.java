package dev.bulwark.control.trustsafety;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * POSTs each notification as JSON to a webhook: the notification's own recipient when that is
 * an http(s) URL (a zone owner's webhook), else the configured {@code fallback} URL (a mail
 * gateway, a ticket system). Any answer but 2xx is a failure, retried by the dispatcher.
 */
public final class WebhookNotifier implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final URI fallback;
    private final Duration timeout;

    public WebhookNotifier(URI fallback, Duration timeout) {
        this.fallback = fallback;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void deliver(Notification n) throws Exception {
        URI target = n.recipient().startsWith("https://") || n.recipient().startsWith("http://") ? URI.create(n.recipient()) : fallback;
        if (target == null) throw new IllegalStateException("no webhook for recipient " + n.recipient());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", n.id());
        body.put("kind", n.kind());
        body.put("recipient", n.recipient());
        body.put("subject", n.subject());
        body.put("body", n.body());
        body.put("report_id", n.reportId());
        HttpRequest req = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", n.id())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpResponse<Void> resp = client.send(req, HttpResponse.BodyHandlers.discarding());
        if (resp.statusCode() / 100 != 2) throw new IllegalStateException("webhook " + target + " answered " + resp.statusCode());
    }
}
