package dev.bulwark.bench.attack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.edge.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The attack lab's load generator: attackers flooding from many addresses of one loopback
 * range, legitimate users at a fixed rate from another, optional slow connections from a
 * third, all against one HTTP/1.1 target on this machine. Prints what each side got (success
 * rate and latency of the users; answers by status, connection failures and time to mitigate
 * of the attack; requests that reached the origin; how long slow connections were held) and
 * a {@code RESULT key=value ...} line for scripts.
 *
 * <pre>java -cp ... dev.bulwark.bench.attack.AttackLab --target http://127.0.0.1:19020/1k --attackers 500 --visitors 50</pre>
 *
 * Linux routes all of 127.0.0.0/8 to the loopback interface, so each client binds its own
 * source address ({@code bind(127.10.x.y, 0)}) and the edge sees 500 different attackers.
 */
public final class AttackLab {
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);

    private AttackLab() {}

    public static void main(String[] args) throws Exception {
        LabOptions o;
        try {
            o = LabOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(o) ? 0 : 1);
    }

    static boolean run(LabOptions o) throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup attackLoops = new MultiThreadIoEventLoopGroup(o.threads(), transport.ioHandlerFactory());
        EventLoopGroup visitorLoop = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try {
            return run(o, transport, attackLoops, visitorLoop);
        } finally {
            attackLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            visitorLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private static boolean run(LabOptions o, Transport transport, EventLoopGroup attackLoops, EventLoopGroup visitorLoop) throws Exception {
        InetSocketAddress target = new InetSocketAddress(o.target().getHost(), o.target().getPort());
        Bootstrap base = new Bootstrap().channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000);
        ByteBuf attackRequest = request(o.attackPath(), o.host(), o.attackAgent());
        ByteBuf visitorRequest = request(o.visitorPath(), o.host(), o.visitorAgent());
        if (!awaitTarget(target, o.waitForTarget())) {
            System.err.println("the target " + target + " did not accept a connection within " + o.waitForTarget() + " s");
            return false;
        }
        long originBefore = originRequests(o.originStats());

        long t0 = System.nanoTime();
        long end = t0 + seconds(o.duration());
        long floodFrom = t0 + seconds(o.floodStart()), floodTo = floodFrom + seconds(o.floodDuration());
        AttackTally attack = new AttackTally(o.attackers(), o.floodDuration());
        VisitorTally visitors = new VisitorTally();

        List<Visitor> users = new ArrayList<>();
        long interval = (long) (1e9 / o.visitorRate());
        for (int i = 0; i < o.visitors(); i++) {
            InetSocketAddress local = new InetSocketAddress(LabOptions.address(o.visitorBase(), i, 256), 0);
            Visitor v = new Visitor(base, visitorLoop.next(), target, local, visitorRequest, visitors, o.visitorRate(),
                    TimeUnit.MILLISECONDS.toNanos(o.visitorTimeoutMs()), end);
            users.add(v);
            v.start(interval * i / Math.max(1, o.visitors()));
        }

        List<Flooder> flooders = new ArrayList<>();
        Bootstrap attackBase = base.clone().group(attackLoops);
        for (int i = 0; i < o.attackers(); i++) {
            InetSocketAddress local = new InetSocketAddress(LabOptions.address(o.attackBase(), i, o.attackPrefixes()), 0);
            flooders.add(new Flooder(i, attackBase, target, local, attackRequest, attack, floodTo, o.reconnectDelayMs()));
        }
        SlowClient slow = o.slowClients() == 0 ? null : new SlowClient(base.clone().group(visitorLoop), target, o.host(),
                o.visitorPath(), o.slowBase(), o.slowClients(), o.slowMode(), o.slowIntervalMs());

        attackLoops.next().schedule(() -> {
            attack.floodStarted(System.nanoTime());
            for (Flooder f : flooders) f.start();
            if (slow != null) slow.start(o.slowRate());
        }, floodFrom - System.nanoTime(), TimeUnit.NANOSECONDS);

        for (long next = t0 + PROGRESS_NANOS; next < end; next += PROGRESS_NANOS) {
            sleepUntil(next);
            VisitorTally.Window w = visitors.window(t0, end);
            System.err.printf(Locale.ROOT, "  t=%3.0fs  attack answers %,d (2xx %,d), conn failures %,d  |  visitors %d/%d ok%n",
                    (System.nanoTime() - t0) / 1e9, attack.answered(), attack.passed(),
                    attack.connectFailed.sum() + attack.closedInFlight.sum(), w.succeeded(), w.requests());
        }
        sleepUntil(end);
        // the last requests get their full timeout before anything unanswered is failed
        sleepUntil(end + TimeUnit.MILLISECONDS.toNanos(o.visitorTimeoutMs()) + TimeUnit.MILLISECONDS.toNanos(200));
        for (Visitor v : users) v.stop();
        for (Flooder f : flooders) f.stop();
        SlowClient.Report slowReport = slow == null ? null : slow.finish();
        Thread.sleep(300); // let the stops run on their loops
        long originAfter = originRequests(o.originStats());
        long origin = originBefore < 0 || originAfter < 0 ? -1 : originAfter - originBefore;

        VisitorTally.Window all = visitors.window(t0, end), flood = visitors.window(floodFrom, floodTo);
        report(o, attack, visitors, all, flood, origin, slowReport);
        System.out.println("legitimate requests over 50 ms, by second of the run: " + visitors.slowSeconds(t0, 50_000_000L));
        attackRequest.release();
        visitorRequest.release();
        return true;
    }

    private static void report(LabOptions o, AttackTally attack, VisitorTally visitors, VisitorTally.Window all,
                               VisitorTally.Window flood, long origin, SlowClient.Report slow) {
        double ttm = attack.secondsToMitigate();
        long attackTotal = attack.answered() + attack.connectFailed.sum() + attack.closedInFlight.sum() + attack.timedOut.sum();
        System.out.println();
        System.out.printf(Locale.ROOT, "attack lab: %s (Host %s), %.0f s; %d attackers from %s/16 over %d /24s flooding %s for %.0f s from t=%.0f s;"
                        + " %d visitors from %s/16 at %.1f req/s each%n",
                o.target(), o.host(), o.duration(), o.attackers(), o.attackBase(), Math.min(o.attackPrefixes(), Math.max(1, o.attackers())),
                o.attackPath(), o.floodDuration(), o.floodStart(), o.visitors(), o.visitorBase(), o.visitorRate());
        System.out.printf(Locale.ROOT, "legitimate, whole run: %d requests, %.2f %% succeeded, p50 %.2f ms, p99 %.2f ms, max %.1f ms%n",
                all.requests(), all.successPercent(), all.p50(), all.p99(), all.max());
        System.out.printf(Locale.ROOT, "legitimate, during the flood: %d requests, %.2f %% succeeded, p50 %.2f ms, p99 %.2f ms, max %.1f ms%n",
                flood.requests(), flood.successPercent(), flood.p50(), flood.p99(), flood.max());
        System.out.printf("legitimate failures: %s; statuses %s; connections closed by the edge %d, connect failures %d%n",
                visitors.failureReasons(), visitors.statuses(), visitors.closedByEdge.sum(), visitors.connectFailed.sum());
        if (o.attackers() > 0) {
            System.out.printf(Locale.ROOT, "attack: %,d requests (%,.0f/s); answered by status: %s; connect failed %,d, closed with a request in flight %,d,"
                            + " closed idle %,d, unanswered in 15 s %,d; connections opened %,d%n",
                    attackTotal, attackTotal / Math.max(o.floodDuration(), 1e-9), attack.statuses(), attack.connectFailed.sum(),
                    attack.closedInFlight.sum(), attack.closedIdle.sum(), attack.timedOut.sum(), attack.connections.sum());
            System.out.printf(Locale.ROOT, "attack requests that passed (2xx): %,d; at most %,d from one attacker address%n",
                    attack.passed(), attack.maxPassedByOneAttacker());
            System.out.println("attack refused share per second of the flood (share/requests): " + attack.refusedPerSecond((int) Math.ceil(o.floodDuration()) + 1));
            System.out.println(ttm < 0 ? "time to mitigate: never (attack requests were not refused at >= 95 % for a second)"
                    : String.format(Locale.ROOT, "time to mitigate: %.1f s (from the flood's first request to the end of the first 100 ms"
                    + " from which >= 95 %% of attack requests were refused, for at least a second)", ttm));
        }
        System.out.println(origin < 0 ? "origin: not read (no --origin-stats)" : String.format("origin: %,d requests reached it during the run", origin));
        if (slow != null) {
            System.out.printf(Locale.ROOT, "slow %s clients: %d wanted, %d connected, %d connect failures, %d still open at the end, %d got an answer;"
                            + " held p50 %.1f s, max %.1f s%n",
                    slow.mode(), slow.wanted(), slow.opened(), slow.connectFailed(), slow.stillOpen(), slow.answered(), slow.heldP50(), slow.heldMax());
        }
        System.out.printf(Locale.ROOT, "RESULT legit_requests=%d legit_success_pct=%.3f legit_p50_ms=%.3f legit_p99_ms=%.3f"
                        + " flood_legit_success_pct=%.3f flood_legit_p99_ms=%.3f attack_requests=%d attack_passed=%d attack_max_passed_per_address=%d"
                        + " attack_connect_failed=%d attack_closed=%d ttm_s=%.1f origin_requests=%d%s%n",
                all.requests(), all.successPercent(), all.p50(), all.p99(), flood.successPercent(), flood.p99(),
                attackTotal, attack.passed(), attack.maxPassedByOneAttacker(), attack.connectFailed.sum(), attack.closedInFlight.sum(),
                ttm, origin, slow == null ? "" : String.format(Locale.ROOT, " slow_opened=%d slow_still_open=%d slow_held_max_s=%.2f slow_held_p50_s=%.2f",
                        slow.opened(), slow.stillOpen(), slow.heldMax(), slow.heldP50()));
    }

    private static ByteBuf request(String path, String host, String agent) {
        byte[] b = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: " + agent + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return Unpooled.directBuffer(b.length).writeBytes(b);
    }

    /** The demo origin's request counter, or -1 when not asked for or unreadable. */
    private static long originRequests(URI stats) {
        if (stats == null) return -1;
        try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body()).path("requests").asLong(-1);
        } catch (Exception e) {
            System.err.println("cannot read the origin's counter at " + stats + ": " + e);
            return -1;
        }
    }

    /**
     * Waits until the target accepts a connection, so the users' traffic starts with the edge
     * (a zone whose detector saw seconds of silence first takes their arrival for a surge).
     */
    private static boolean awaitTarget(InetSocketAddress target, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds(seconds);
        do {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(target, 200);
                return true;
            } catch (java.io.IOException e) {
                if (seconds == 0) return true; // not asked to wait: the run reports the failures
                Thread.sleep(50);
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static long seconds(double s) { return (long) (s * 1e9); }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
    }
}
