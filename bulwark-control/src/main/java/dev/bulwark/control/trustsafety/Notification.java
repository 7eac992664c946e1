package dev.bulwark.control.trustsafety;

/**
 * One message in the outbox. {@code kind}: owner_forward (a report sent to the zone's owner),
 * reporter_hosting (the hosting provider's contact given to the reporter), enforcement (the owner
 * told about an action). {@code recipient} is an e-mail address or a webhook URL.
 */
public record Notification(String id, String kind, String recipient, String subject, String body, String reportId,
                           long createdAt, int attempts, long nextAttemptAt, Long deliveredAt, Long failedAt, String lastError) {}
