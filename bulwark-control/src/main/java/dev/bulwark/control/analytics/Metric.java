package dev.bulwark.control.analytics;

import dev.bulwark.core.observe.RequestAction;

/** Column numbers of the counters kept per time bucket, and their names in the API. */
final class Metric {
    static final int REQUESTS = 0;
    static final int BYTES_IN = 1;
    static final int BYTES_OUT = 2;
    static final int STATUS_1XX = 3; // 3..7: 1xx..5xx
    static final int ACTION_FIRST = 8; // 8..12: RequestAction ordinal
    static final int COUNT = ACTION_FIRST + RequestAction.values().length;

    static final String[] NAMES = {"requests", "bytes_in", "bytes_out", "status_1xx", "status_2xx", "status_3xx",
            "status_4xx", "status_5xx", "allowed", "blocked", "challenged", "rate_limited", "noticed"};

    private Metric() {}

    static int statusClass(int status) {
        int c = status / 100;
        return c >= 1 && c <= 5 ? STATUS_1XX + c - 1 : -1;
    }
}
