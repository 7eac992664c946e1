package dev.bulwark.control.trustsafety;

/** A report passed to law enforcement: which agency, their reference, who referred it and when. */
public record Referral(String id, String reportId, String agency, String reference, String referredBy, long referredAt) {}
