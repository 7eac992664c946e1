package dev.bulwark.control.trustsafety;

/** A statement the operator keeps on the transparency report (how legal requests are handled, what is never done). */
public record StandingStatement(String id, String title, String body, String updatedBy, long updatedAt) {}
