package dev.bulwark.control.trustsafety;

/**
 * A zone whose abuse reports rose well above its own history over one window.
 *
 * @param window   1h, 24h or 48h
 * @param reports  reports received in the window
 * @param score    the severity-weighted sum of those reports ({@link Category#weight()})
 * @param baseline the zone's usual score for a window of that length, from the weeks before
 * @param trend    rising (the second half of the window scored well above the first), steady or falling
 */
public record EscalationAlert(String id, String zoneId, String window, int reports, double score, double baseline,
                              String trend, String summary, long raisedAt) {}
