package dev.bulwark.control.trustsafety;

/**
 * Who to tell about a zone: the owner (an e-mail address and/or a webhook URL reports are
 * forwarded to) and the hosting provider behind its origin, whose contact reporters are given
 * for categories the provider, not the proxy, can act on (the content lives there).
 */
public record ZoneContact(String zoneId, String ownerContact, String ownerWebhook, String hostingProvider,
                         String hostingContact, long updatedAt) {}
