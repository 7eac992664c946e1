package dev.bulwark.edge.codec;

import dev.bulwark.core.config.Http2AbuseLimits;
import dev.bulwark.core.time.Clock;

/**
 * Per-connection HTTP/2 frame counts over a short sliding window, for the floods Netty's codec
 * has no limit for: SETTINGS, PING, WINDOW_UPDATE and PRIORITY floods, runs of empty HEADERS
 * frames, and header blocks that grow past what the codec would ever accept (an endless
 * CONTINUATION sequence made of large frames). RST_STREAM, empty DATA and small CONTINUATION
 * frames are counted by Netty (see {@code ListenerInitializer}).
 *
 * <p>WINDOW_UPDATE and PRIORITY frames are legitimate in proportion to traffic, so they earn
 * headroom: four per stream the client opened in the window, and (WINDOW_UPDATE) one per KiB
 * the edge sent. Pure: the caller feeds it each frame header it saw; not thread-safe.
 */
public final class FrameFloodMeter {
    /** What was found, and the figures behind it for the log line. */
    public record Finding(Http2Abuse abuse, String detail) {}

    static final int DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4, PUSH_PROMISE = 5, PING = 6,
            GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9;
    private static final int END_HEADERS = 0x4, PADDED = 0x8, PRIORITY_FLAG = 0x20;
    private static final int PER_STREAM = 4;

    private final Http2AbuseLimits limits;
    private final Clock clock;
    private final long maxHeaderBlock;
    private final long windowSeconds;
    private final WindowCount settings, pings, windowUpdates, priorities, streams, sent;
    private int emptyRun;
    private boolean inHeaderBlock;
    private long headerBlock;

    public FrameFloodMeter(Http2AbuseLimits limits, int maxHeaderBytes, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.maxHeaderBlock = maxHeaderBytes + maxHeaderBytes / 4L; // where Netty itself gives up on a block (GOAWAY)
        this.windowSeconds = limits.window().toSeconds();
        long period = limits.window().toNanos();
        long now = clock.nanoTime();
        settings = new WindowCount(period, now);
        pings = new WindowCount(period, now);
        windowUpdates = new WindowCount(period, now);
        priorities = new WindowCount(period, now);
        streams = new WindowCount(period, now);
        sent = new WindowCount(period, now);
    }

    /** Bytes the edge wrote to this connection; they earn WINDOW_UPDATE headroom. */
    public void sent(long bytes) { sent.add(clock.nanoTime(), bytes); }

    /** One frame header read from the client; null while the connection behaves. */
    public Finding onFrame(int type, int flags, int length) {
        long now = clock.nanoTime();
        switch (type) {
            case HEADERS -> {
                streams.add(now, 1);
                int fields = (flags & PRIORITY_FLAG) != 0 ? 5 : 0;
                if ((flags & PADDED) != 0) fields++;
                int block = Math.max(0, length - fields);
                Finding f = empty(block == 0, "HEADERS");
                if (f != null) return f;
                inHeaderBlock = (flags & END_HEADERS) == 0;
                headerBlock = block;
                return blockSize();
            }
            case CONTINUATION -> {
                if (!inHeaderBlock) return null; // a protocol error the codec reports itself
                headerBlock += length;
                if ((flags & END_HEADERS) != 0) inHeaderBlock = false;
                return blockSize();
            }
            case DATA -> {
                if (length > 0) emptyRun = 0; // empty DATA frames themselves are Netty's to count
                return null;
            }
            case SETTINGS -> {
                return over(Http2Abuse.SETTINGS_FLOOD, "SETTINGS", settings.add(now, 1), limits.maxSettings());
            }
            case PING -> {
                return over(Http2Abuse.PING_FLOOD, "PING", pings.add(now, 1), limits.maxPings());
            }
            case WINDOW_UPDATE -> {
                long earned = PER_STREAM * streams.estimate(now) + sent.estimate(now) / 1024;
                return over(Http2Abuse.WINDOW_UPDATE_FLOOD, "WINDOW_UPDATE", windowUpdates.add(now, 1), limits.maxWindowUpdates() + earned);
            }
            case PRIORITY -> {
                long earned = PER_STREAM * streams.estimate(now);
                return over(Http2Abuse.PRIORITY_FLOOD, "PRIORITY", priorities.add(now, 1), limits.maxPriorityFrames() + earned);
            }
            default -> {
                return null;
            }
        }
    }

    private Finding empty(boolean isEmpty, String what) {
        if (!isEmpty) {
            emptyRun = 0;
            return null;
        }
        if (++emptyRun <= limits.maxEmptyFrames()) return null;
        return new Finding(Http2Abuse.EMPTY_FRAMES, emptyRun + " empty " + what + " frames in a row");
    }

    private Finding blockSize() {
        if (headerBlock <= maxHeaderBlock) return null;
        return new Finding(Http2Abuse.CONTINUATION_FLOOD, "header block of " + headerBlock + " bytes (limit " + maxHeaderBlock + ")");
    }

    private Finding over(Http2Abuse abuse, String what, long count, long limit) {
        if (count <= limit) return null;
        return new Finding(abuse, count + " " + what + " frames in " + windowSeconds + "s (limit " + limit + ")");
    }
}
