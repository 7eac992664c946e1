package dev.bulwark.core.observe;

/** What the edge finally did with a request, as analytics counts it. */
public enum RequestAction {
    /** Forwarded to the origin (or served from cache). */
    ALLOWED,
    /** Refused by an access or firewall rule. */
    BLOCKED,
    /** Answered with a challenge interstitial instead of being forwarded. */
    CHALLENGED,
    /** Refused or delayed by a rate-limit rule or ban. */
    RATE_LIMITED,
    /** Answered with a trust-and-safety notice page. */
    NOTICED
}
