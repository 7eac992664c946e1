package dev.bulwark.edge.codec;

import dev.bulwark.core.config.Http2AbuseLimits;
import dev.bulwark.core.time.ManualClock;
import dev.bulwark.edge.observe.EdgeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** WriteDeadline and Http2FrameInspector in an EmbeddedChannel, on its mock clock. */
class SlowClientHandlersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EdgeMetrics metrics = new EdgeMetrics(registry);

    private EmbeddedChannel unwritableChannel() {
        EmbeddedChannel ch = new EmbeddedChannel(new WriteDeadline(Duration.ofSeconds(30), metrics));
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 4096));
        ch.write(Unpooled.wrappedBuffer(new byte[8192])); // written, never flushed: like bytes the client does not take
        assertThat(ch.isWritable()).isFalse();
        return ch;
    }

    private double writeTimeouts() {
        var c = registry.find("bulwark.slow.clients").tag("reason", "write_timeout").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aChannelLeftUnwritableIsClosedAtTheWriteTimeoutNotBefore() {
        EmbeddedChannel ch = unwritableChannel();
        ch.advanceTimeBy(29, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(writeTimeouts()).isEqualTo(1);
    }

    @Test
    void aClientThatCatchesUpKeepsItsConnection() {
        EmbeddedChannel ch = unwritableChannel();
        ch.advanceTimeBy(20, TimeUnit.SECONDS);
        ch.flush(); // the client read it all
        assertThat(ch.isWritable()).isTrue();
        ch.advanceTimeBy(20, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.releaseOutbound();
        ch.write(Unpooled.wrappedBuffer(new byte[8192])); // stuck again: its own 30 s from now
        ch.advanceTimeBy(29, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(writeTimeouts()).isEqualTo(1);
    }

    private static ByteBuf frame(int type, int flags, int stream, int length) {
        ByteBuf b = Unpooled.buffer(9 + length);
        b.writeMedium(length).writeByte(type).writeByte(flags).writeInt(stream).writeZero(length);
        return b;
    }

    @Test
    void theInspectorFollowsFramesSplitAnywhereAndPassesEveryByteOn() {
        List<FrameFloodMeter.Finding> found = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new Http2FrameInspector(
                new FrameFloodMeter(Http2AbuseLimits.defaults(), 32 * 1024, new ManualClock()), found::add));
        ByteBuf all = Unpooled.buffer();
        all.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 20; i++) all.writeBytes(frame(FrameFloodMeter.DATA, 0, 1, 1000 + i)); // payloads that look like anything
        for (int i = 0; i < 20; i++) all.writeBytes(frame(FrameFloodMeter.PING, 0, 0, 8));
        int total = all.readableBytes();
        int passed = 0;
        for (int at = 0; at < total; ) { // 7-byte slices: every frame header is cut somewhere
            int n = Math.min(7, total - at);
            ch.writeInbound(all.retainedSlice(at, n));
            at += n;
            ByteBuf out;
            while ((out = ch.readInbound()) != null) {
                passed += out.readableBytes();
                out.release();
            }
        }
        assertThat(found).isEmpty();
        assertThat(passed).isEqualTo(total);
        for (int i = 0; i < 31; i++) ch.writeInbound(frame(FrameFloodMeter.PING, 0, 0, 8)); // 51st PING in the window
        assertThat(found).singleElement().extracting(FrameFloodMeter.Finding::abuse).isEqualTo(Http2Abuse.PING_FLOOD);
        assertThat((Object) ch.readInbound()).as("forwarded before the flood was found").isNotNull();
        while (ch.readInbound() != null) { }
        ch.writeInbound(frame(FrameFloodMeter.PING, 0, 0, 8));
        assertThat((Object) ch.readInbound()).as("after it, nothing reaches the codec").isNull();
        assertThat(found).hasSize(1);
        all.release();
    }

    @Test
    void nettysLimitTextsAreRecognised() {
        // the exact messages of the Netty in use (see Http2Abuse.fromNettyMessage); Http2AbuseTest trips each one over a socket
        assertThat(Http2Abuse.fromNettyMessage("Maximum number of RST frames reached")).isEqualTo(Http2Abuse.RAPID_RESET);
        assertThat(Http2Abuse.fromNettyMessage("Maximum number 200 of RST frames frames reached within 30 seconds")).isEqualTo(Http2Abuse.PROVOKED_RESETS);
        assertThat(Http2Abuse.fromNettyMessage("Maximum number 4 of empty data frames without end_of_stream flag received")).isEqualTo(Http2Abuse.EMPTY_FRAMES);
        assertThat(Http2Abuse.fromNettyMessage("Number of small consecutive continuations frames 16 exceeds maximum: 16")).isEqualTo(Http2Abuse.CONTINUATION_FLOOD);
        assertThat(Http2Abuse.fromNettyMessage("Maximum number 10000 of outstanding control frames reached")).isEqualTo(Http2Abuse.CONTROL_FRAME_QUEUE);
        assertThat(Http2Abuse.fromNettyMessage("ping_flood: 51 PING frames in 10s (limit 50)")).isEqualTo(Http2Abuse.PING_FLOOD);
        assertThat(Http2Abuse.fromNettyMessage("something new")).isEqualTo(Http2Abuse.OTHER);
    }
}
