package dev.bulwark.core.config;

import java.time.Duration;

/**
 * Per-connection HTTP/2 flood thresholds ({@code edge.http.h2_abuse}). Each count is taken over
 * a sliding {@code window} (whole seconds); a connection over any of them gets GOAWAY
 * (ENHANCE_YOUR_CALM) and its address is banned for {@code edge.guard.ban_duration}.
 *
 * <p>Defaults sit far above what browsers send (one SETTINGS and a few PINGs per connection,
 * WINDOW_UPDATEs in step with the data they receive, a cancelled stream per abandoned
 * download) and far below what the attacks need (rapid reset opens and cancels thousands of
 * streams a second). WINDOW_UPDATE and PRIORITY frames earn headroom from traffic: four per
 * stream the client opened in the window, plus one WINDOW_UPDATE per KiB the edge sent.
 *
 * @param maxResets RST_STREAM frames from the client (rapid reset, CVE-2023-44487)
 * @param maxSettings SETTINGS frames
 * @param maxPings PING frames
 * @param maxWindowUpdates WINDOW_UPDATE frames beyond the headroom earned by traffic
 * @param maxPriorityFrames PRIORITY frames beyond four per stream opened
 * @param maxEmptyFrames consecutive DATA (without END_STREAM) or HEADERS frames with no payload
 * @param maxContinuationFrames consecutive small CONTINUATION frames of one header block; a block
 *        larger than 1.25 × {@code max_header_bytes} is refused the same way whatever its frames
 */
public record Http2AbuseLimits(Duration window, Integer maxResets, Integer maxSettings, Integer maxPings,
                               Integer maxWindowUpdates, Integer maxPriorityFrames, Integer maxEmptyFrames,
                               Integer maxContinuationFrames) {
    public Http2AbuseLimits {
        window = window == null ? Duration.ofSeconds(10) : window;
        maxResets = maxResets == null ? 200 : maxResets;
        maxSettings = maxSettings == null ? 20 : maxSettings;
        maxPings = maxPings == null ? 50 : maxPings;
        maxWindowUpdates = maxWindowUpdates == null ? 500 : maxWindowUpdates;
        maxPriorityFrames = maxPriorityFrames == null ? 500 : maxPriorityFrames;
        maxEmptyFrames = maxEmptyFrames == null ? 4 : maxEmptyFrames;
        maxContinuationFrames = maxContinuationFrames == null ? 16 : maxContinuationFrames;
    }

    public static Http2AbuseLimits defaults() { return new Http2AbuseLimits(null, null, null, null, null, null, null, null); }
}
