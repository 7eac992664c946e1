package dev.bulwark.edge.codec;

import dev.bulwark.core.config.Http2AbuseLimits;
import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.bulwark.edge.codec.FrameFloodMeter.CONTINUATION;
import static dev.bulwark.edge.codec.FrameFloodMeter.DATA;
import static dev.bulwark.edge.codec.FrameFloodMeter.HEADERS;
import static dev.bulwark.edge.codec.FrameFloodMeter.PING;
import static dev.bulwark.edge.codec.FrameFloodMeter.PRIORITY;
import static dev.bulwark.edge.codec.FrameFloodMeter.SETTINGS;
import static dev.bulwark.edge.codec.FrameFloodMeter.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-connection HTTP/2 flood decisions over a sliding window, on a ManualClock. */
class FrameFloodMeterTest {
    private static final int END_STREAM = 0x1, END_HEADERS = 0x4;
    private final ManualClock clock = new ManualClock();
    private final FrameFloodMeter meter = new FrameFloodMeter(Http2AbuseLimits.defaults(), 32 * 1024, clock); // window 10 s

    private FrameFloodMeter.Finding repeat(int n, int type, int flags, int length) {
        for (int i = 0; i < n; i++) {
            FrameFloodMeter.Finding f = meter.onFrame(type, flags, length);
            if (f != null) return f;
        }
        return null;
    }

    @Test
    void settingsFloodTripsOneFramePastTheLimit() {
        assertThat(repeat(20, SETTINGS, 0, 6)).isNull();
        FrameFloodMeter.Finding f = meter.onFrame(SETTINGS, 0, 6);
        assertThat(f.abuse()).isEqualTo(Http2Abuse.SETTINGS_FLOOD);
        assertThat(f.detail()).contains("21 SETTINGS frames in 10s");
    }

    @Test
    void pingFloodTrips() {
        assertThat(repeat(51, PING, 0, 8).abuse()).isEqualTo(Http2Abuse.PING_FLOOD);
    }

    @Test
    void theWindowSlides() {
        for (int s = 0; s < 600; s++) { // 2 PINGs and a SETTINGS every second for ten minutes: 20 and 10 per window
            assertThat(repeat(2, PING, 0, 8)).isNull();
            assertThat(meter.onFrame(SETTINGS, 0, 0)).isNull();
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofSeconds(20));
        assertThat(repeat(50, PING, 0, 8)).as("an old window is forgotten").isNull();
    }

    @Test
    void windowUpdatesAreEarnedByStreamsAndBytesSent() {
        assertThat(repeat(500, WINDOW_UPDATE, 0, 4)).isNull();
        assertThat(meter.onFrame(WINDOW_UPDATE, 0, 4).abuse()).isEqualTo(Http2Abuse.WINDOW_UPDATE_FLOOD);

        FrameFloodMeter busy = new FrameFloodMeter(Http2AbuseLimits.defaults(), 32 * 1024, clock);
        for (int stream = 0; stream < 200; stream++) {
            assertThat(busy.onFrame(HEADERS, END_HEADERS | END_STREAM, 40)).isNull();
            busy.sent(16 * 1024);
            for (int i = 0; i < 4; i++) assertThat(busy.onFrame(WINDOW_UPDATE, 0, 4)).as("stream %d", stream).isNull();
        }
    }

    @Test
    void aFastDownloadReturningCreditForEveryFrameIsFine() {
        for (int i = 0; i < 100_000; i++) { // 1.6 GB in one window, a connection and a stream update per 16 KiB frame
            meter.sent(16 * 1024 + 9);
            assertThat(meter.onFrame(WINDOW_UPDATE, 0, 4)).isNull();
            assertThat(meter.onFrame(WINDOW_UPDATE, 0, 4)).isNull();
            if (i % 1000 == 0) clock.advanceMillis(100);
        }
    }

    @Test
    void priorityFloodTripsButPrioritiesWithStreamsDoNot() {
        for (int i = 0; i < 300; i++) {
            assertThat(meter.onFrame(HEADERS, END_HEADERS | END_STREAM, 30)).isNull();
            assertThat(repeat(3, PRIORITY, 0, 5)).isNull();
        }
        FrameFloodMeter idle = new FrameFloodMeter(Http2AbuseLimits.defaults(), 32 * 1024, clock);
        for (int i = 0; i < 500; i++) assertThat(idle.onFrame(PRIORITY, 0, 5)).isNull();
        assertThat(idle.onFrame(PRIORITY, 0, 5).abuse()).isEqualTo(Http2Abuse.PRIORITY_FLOOD);
    }

    @Test
    void emptyHeadersInARowTrip() {
        assertThat(repeat(4, HEADERS, END_HEADERS, 0)).isNull();
        assertThat(meter.onFrame(HEADERS, END_HEADERS, 0).abuse()).isEqualTo(Http2Abuse.EMPTY_FRAMES);
    }

    @Test
    void aFrameWithPayloadBreaksTheEmptyRun() {
        for (int i = 0; i < 100; i++) {
            assertThat(repeat(3, HEADERS, END_HEADERS, 0)).isNull();
            assertThat(meter.onFrame(DATA, 0, 10)).isNull();
        }
    }

    @Test
    void anEndlessHeaderBlockTripsPastTheCodecsOwnLimit() {
        assertThat(meter.onFrame(HEADERS, 0, 16_000)).isNull();
        assertThat(meter.onFrame(CONTINUATION, 0, 16_000)).isNull();
        assertThat(meter.onFrame(CONTINUATION, 0, 8_000)).as("40 000 bytes = 1.25 × 32 KiB - 960").isNull();
        FrameFloodMeter.Finding f = meter.onFrame(CONTINUATION, 0, 16_000);
        assertThat(f.abuse()).isEqualTo(Http2Abuse.CONTINUATION_FLOOD);
        assertThat(f.detail()).contains("56000 bytes");
    }

    @Test
    void manyHeaderBlocksEachUnderTheLimitAreFine() {
        for (int i = 0; i < 1000; i++) {
            assertThat(meter.onFrame(HEADERS, 0, 16_000)).isNull();
            assertThat(meter.onFrame(CONTINUATION, END_HEADERS, 16_000)).isNull();
            clock.advanceMillis(50);
        }
    }

    @Test
    void aBrowserSessionNeverTrips() {
        // connection start: SETTINGS, WINDOW_UPDATE, then pages of 60 requests with a PING now and then,
        // some cancelled downloads, and credit returned for what was received
        assertThat(meter.onFrame(SETTINGS, 0, 18)).isNull();
        assertThat(meter.onFrame(WINDOW_UPDATE, 0, 4)).isNull();
        assertThat(meter.onFrame(SETTINGS, 1, 0)).isNull(); // ACK of ours
        for (int page = 0; page < 100; page++) {
            assertThat(meter.onFrame(PING, 0, 8)).isNull();
            for (int r = 0; r < 60; r++) {
                assertThat(meter.onFrame(HEADERS, END_HEADERS | END_STREAM | 0x20, 120)).isNull();
                meter.sent(30_000);
                assertThat(meter.onFrame(WINDOW_UPDATE, 0, 4)).isNull();
            }
            clock.advance(Duration.ofSeconds(2));
        }
    }

    @Test
    void windowCountEstimatesTheSlidingWindow() {
        WindowCount w = new WindowCount(Duration.ofSeconds(10).toNanos(), 0);
        assertThat(w.add(0, 100)).isEqualTo(100);
        assertThat(w.add(Duration.ofSeconds(15).toNanos(), 0)).as("half the previous window still counts").isEqualTo(50);
        assertThat(w.estimate(Duration.ofSeconds(40).toNanos())).isZero();
    }
}
