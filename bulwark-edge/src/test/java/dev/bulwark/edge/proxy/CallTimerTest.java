package dev.bulwark.edge.proxy;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One scheduled task serves a connection's calls; deadlines are kept exactly as the calls set them. */
class CallTimerTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final List<String> ran = new ArrayList<>();
    private final CallTimer timer;

    CallTimerTest() {
        ch.freezeTime();
        timer = new CallTimer(ch.eventLoop(), () -> ch.eventLoop().ticker().nanoTime());
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private long now() { return ch.eventLoop().ticker().nanoTime(); }

    private void advanceSeconds(long s) {
        ch.advanceTimeBy(s, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    private static long seconds(long s) { return TimeUnit.SECONDS.toNanos(s); }

    @Test
    void runsTheActionAtItsDeadline() {
        timer.arm(() -> ran.add("a"), now() + seconds(10), now());
        advanceSeconds(9);
        assertThat(ran).isEmpty();
        advanceSeconds(1);
        assertThat(ran).containsExactly("a");
        advanceSeconds(60);
        assertThat(ran).as("once").containsExactly("a");
    }

    @Test
    void backToBackCallsShareOneTaskAndTheLaterDeadlineStillHolds() {
        timer.arm(() -> ran.add("first"), now() + seconds(10), now());
        advanceSeconds(4);
        timer.disarm(); // the first call ended; its task stays scheduled
        timer.arm(() -> ran.add("second"), now() + seconds(10), now()); // due at 14 s
        assertThat(timer.schedules()).as("the second call reuses the first one's task").isEqualTo(1);
        advanceSeconds(6); // the task fires at 10 s, finds 14 s due, re-arms
        assertThat(ran).isEmpty();
        assertThat(timer.schedules()).isEqualTo(2);
        advanceSeconds(4);
        assertThat(ran).containsExactly("second");
    }

    @Test
    void theSameActionArmedForLaterKeepsItsEarlierDeadline() {
        Runnable a = () -> ran.add("a");
        timer.arm(a, now() + seconds(5), now());
        timer.arm(a, now() + seconds(30), now()); // e.g. the idle deadline while the first-byte one is set
        advanceSeconds(5);
        assertThat(ran).as("run at the earlier deadline, to re-check").containsExactly("a");
    }

    @Test
    void anEarlierDeadlineReplacesALaterTask() {
        timer.arm(() -> ran.add("slow"), now() + seconds(30), now());
        timer.arm(() -> ran.add("tarpit"), now() + seconds(2), now());
        advanceSeconds(2);
        assertThat(ran).containsExactly("tarpit");
        advanceSeconds(30);
        assertThat(ran).containsExactly("tarpit");
    }

    @Test
    void aDisarmedOrClosedTimerRunsNothing() {
        timer.arm(() -> ran.add("a"), now() + seconds(5), now());
        timer.disarm();
        advanceSeconds(10);
        timer.arm(() -> ran.add("b"), now() + seconds(5), now());
        timer.close();
        advanceSeconds(10);
        assertThat(ran).isEmpty();
    }
}
