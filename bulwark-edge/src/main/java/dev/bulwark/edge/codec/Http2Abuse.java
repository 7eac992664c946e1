package dev.bulwark.edge.codec;

import java.util.Locale;

/**
 * The HTTP/2 floods the edge answers with GOAWAY (ENHANCE_YOUR_CALM) and a ban. Some are
 * detected by Netty's own limits (reported through the GOAWAY they send, and told apart here by
 * its debug text), the others by {@link FrameFloodMeter}.
 */
public enum Http2Abuse {
    /** Streams opened and cancelled by the client (CVE-2023-44487); Netty's decoder RST limit. */
    RAPID_RESET,
    /** The client makes the edge reset streams (invalid frames on purpose); Netty's encoder RST limit. */
    PROVOKED_RESETS,
    SETTINGS_FLOOD,
    PING_FLOOD,
    WINDOW_UPDATE_FLOOD,
    PRIORITY_FLOOD,
    /** DATA (Netty) or HEADERS frames without payload, one after another. */
    EMPTY_FRAMES,
    /** An endless header block (CVE-2024-27316): many small CONTINUATION frames (Netty) or too many bytes. */
    CONTINUATION_FLOOD,
    /** Control-frame answers (PING/SETTINGS ACKs) piling up unread; Netty's queued control frame limit. */
    CONTROL_FRAME_QUEUE,
    /** An ENHANCE_YOUR_CALM from a Netty limit this enum does not know yet. */
    OTHER;

    /** The metric tag and log word: {@code rapid_reset}. */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    /**
     * Which Netty limit sent this GOAWAY, from its debug text (the exception message). The
     * texts are checked by {@code Http2AbuseGuardTest} against the Netty in use, so an upgrade
     * that rewords them fails a test instead of mislabelling metrics.
     */
    public static Http2Abuse fromNettyMessage(String text) {
        String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (t.contains("rst frames frames")) return PROVOKED_RESETS; // Http2MaxRstFrameLimitEncoder (sic)
        if (t.contains("rst frames")) return RAPID_RESET;
        if (t.contains("empty data frames")) return EMPTY_FRAMES;
        if (t.contains("continuations frames")) return CONTINUATION_FLOOD;
        if (t.contains("control frames")) return CONTROL_FRAME_QUEUE;
        for (Http2Abuse a : values()) if (t.startsWith(a.label() + ":")) return a; // our own, via the codec
        return OTHER;
    }
}
