package dev.bulwark.edge.proxy;

import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.ddos.OriginShield;
import dev.bulwark.edge.codec.BodyDeadline;
import dev.bulwark.edge.codec.BodyRate;
import dev.bulwark.edge.codec.StrictRequestDecoder;
import dev.bulwark.edge.upstream.Origin;
import dev.bulwark.edge.upstream.OriginPool;
import dev.bulwark.edge.upstream.RetryPolicy;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * One request crossing the edge: runs the phases, then (unless a phase answered) streams the
 * request to an origin and the response back. Bodies are never aggregated: each chunk is
 * written through as it arrives, and each side stops reading while the other cannot take more
 * (autoRead off while the peer channel is not writable). Both channels run on one event loop,
 * so this class needs no synchronisation.
 *
 * <p>Failure rules: a connect failure is retried on another origin for idempotent methods (no
 * byte has been sent); a pooled connection that dies before answering a body-less idempotent
 * request is retried once on a fresh one; otherwise the client gets 502/503/504 when no
 * response byte was sent yet, or the client connection is cut when one was.
 */
final class ProxyCall {
    private final EdgeRuntime rt;
    private final RequestContext ctx;
    private final Channel client;
    private final ClientHandler owner;
    private final boolean h2;
    private final boolean headRequest;
    private ArrayDeque<HttpContent> pending; // body parts waiting for an upstream connection; made when the first one does
    private final boolean requestHasBody;

    private boolean clientKeepAlive;
    private boolean requestComplete;
    private boolean forwarding;
    private boolean continueOwed; // the client expects 100-continue and has not had it yet
    private Channel upstream;
    private UpstreamHandler upstreamHandler;
    private Origin origin;
    private boolean originCounted;
    private java.util.List<Origin> tried;
    private boolean reused;
    private boolean freshRetryUsed;
    private int attempts;
    private boolean responseStarted;
    private boolean skipInformational;
    private boolean upstreamKeepAlive;
    private boolean done;
    private final CallTimer timer; // the connection's: this call's deadlines while it is current
    private Runnable onTimer; // this::onTimer, made when a call first arms the timer (a refusal never does)
    private long firstByteDeadline; // 0 while no first-byte deadline is armed
    private long lastUpstreamRead;
    private boolean closeClientAfter;
    private boolean answerHeldBack;
    private OriginShield shield;               // a granted origin slot, released once in finish()
    private OriginShield queuedAt;
    private OriginShield.Waiter shieldWaiter;  // while waiting for a slot
    private BodyDeadline bodyDeadline;         // while the request body is arriving

    ProxyCall(EdgeRuntime rt, RequestContext ctx, Channel client, ClientHandler owner, boolean h2, boolean requestHasBody) {
        this.rt = rt;
        this.ctx = ctx;
        this.client = client;
        this.owner = owner;
        this.timer = owner.timer();
        this.h2 = h2;
        this.requestHasBody = requestHasBody;
        HttpRequest req = ctx.request();
        this.headRequest = HttpMethod.HEAD.equals(req.method());
        this.clientKeepAlive = h2 || HttpUtil.isKeepAlive(req);
    }

    RequestContext context() { return ctx; }

    boolean requestComplete() { return requestComplete; }

    boolean done() { return done; }

    /**
     * Whether the client side should be read now: only body data the origin can take right away.
     * A request without a body (or whose body is complete) keeps the connection readable: the
     * next bytes are a pipelined request, which {@link ClientHandler} queues and then pauses on.
     * Toggling autoRead costs an epoll_ctl each way, so the common GET never touches it.
     */
    boolean wantsClientData() {
        if (requestComplete || !requestHasBody || !forwarding) return true;
        return upstream != null && upstream.isWritable();
    }

    // ---- request path ------------------------------------------------------------------

    void start() {
        if (requestHasBody) {
            bodyDeadline = BodyDeadline.start(ctx.snapshot().config().edge().http(), rt.services().clock(), client.eventLoop(), this::onSlowBody);
        }
        Throwable bad = ctx.request().decoderResult().cause();
        if (bad != null) {
            int status = StrictRequestDecoder.statusFor(bad);
            String why = bad instanceof dev.bulwark.edge.codec.BadRequestException ? bad.getMessage() : null;
            ctx.answer(status, "blocked", "codec", why);
            closeClientAfter = true;
            sendAnswer();
            return;
        }
        if (unsupportedExpectation(ctx.request())) {
            ctx.answer(417, "blocked", "codec", "The only expectation this server meets is 100-continue.");
            closeClientAfter = !h2; // HTTP/1.1: a body may follow that nobody reads; HTTP/2 ends only the stream
            sendAnswer();
            return;
        }
        if (h2 && ctx.request().headers().getAll(HttpHeaderNames.HOST).size() != 1) {
            // :authority and a Host header that could disagree, or neither: refuse rather than guess
            ctx.answer(400, "blocked", "codec", "The request must name exactly one host.");
            sendAnswer();
            return;
        }
        rt.runner().run(ctx, this);
    }

    /** An Expect header that asks for anything but 100-continue (RFC 9110 section 10.1.1); HTTP/2 streams decode as HTTP/1.1. */
    private static boolean unsupportedExpectation(HttpRequest req) {
        String expect = req.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && req.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0
                && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect);
    }

    void onClientContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        int n = content.content().readableBytes();
        ctx.addBytesIn(n);
        if (bodyDeadline != null) {
            bodyDeadline.received(n);
            if (last) bodyDeadline.end();
        }
        if (last) requestComplete = true;
        if (done || !forwarding) { // answered by the edge: the body goes nowhere
            content.release();
            if (last) owner.updateAutoRead();
            return;
        }
        long max = ctx.zone().config().limits().maxBodyBytes();
        if (max > 0 && ctx.bytesIn() > max) {
            content.release();
            ctx.action("blocked", "max_body_bytes");
            closeClientAfter = true;
            closeUpstream();
            fail(413, null);
            return;
        }
        if (upstream == null) {
            pendingQueue().add(content);
        } else {
            upstream.writeAndFlush(content, upstream.voidPromise()); // a failed write closes the channel (exceptionCaught)
            if (last) armFirstByteTimeout();
        }
        owner.updateAutoRead();
    }

    /** The upstream phase: pick an origin, take or open a connection, send the request. */
    void forward() {
        forwarding = true;
        HttpRequest req = ctx.request();
        HttpHeaders h = req.headers();
        ForwardHeaders.removeHopByHop(h);
        if (h2) ForwardHeaders.removeHttp2Extensions(h);
        continueOwed = HttpUtil.is100ContinueExpected(req); // met in inviteBody, unless the body has come by then
        h.remove(HttpHeaderNames.EXPECT);
        ForwardHeaders.addForwarding(h, owner.hop(ctx.peerAddress()), ctx.snapshot().isTrustedProxy(ctx.peerAddress()),
                ctx.host(), ctx.httpVersion());
        h.set(dev.bulwark.edge.observe.RequestIds.HEADER_NAME, ctx.requestId());
        if (requestHasBody && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        req.setProtocolVersion(HttpVersion.HTTP_1_1); // keep-alive to the origin whatever the client spoke
        owner.updateAutoRead();
        if (enterOriginShield()) connect(null);
    }

    /**
     * Origin protection: true to go to the origin now. Otherwise the request waits for a slot
     * (its body stays unread meanwhile: no upstream, so no reading) or has been answered 503.
     */
    private boolean enterOriginShield() {
        OriginShield s = ctx.zone().policies().originShield();
        if (s == null) return true;
        OriginShield.Waiter w = new OriginShield.Waiter() {
            @Override public void granted() { client.eventLoop().execute(() -> onShieldGranted(s)); }

            @Override public void shed() { client.eventLoop().execute(() -> onShed()); }
        };
        switch (s.acquire(ctx.clearanceLevel(), w)) {
            case PROCEED -> {
                shield = s;
                return true;
            }
            case QUEUED -> {
                shieldWaiter = w;
                queuedAt = s;
                return false;
            }
            default -> {
                onShed();
                return false;
            }
        }
    }

    private void onShieldGranted(OriginShield s) {
        shieldWaiter = null;
        shield = s;
        if (done) releaseShield(); // the client left while it waited
        else connect(null);
    }

    private void onShed() {
        shieldWaiter = null;
        if (done) return;
        ctx.action("blocked", "origin_shield");
        fail(503, "The site's origin server is busy. Please try again shortly.");
    }

    private void releaseShield() {
        if (shieldWaiter != null) { // still queued: give up the place (if it was granted meanwhile, the grant releases it)
            queuedAt.cancel(shieldWaiter);
            shieldWaiter = null;
        }
        if (shield == null) return;
        OriginShield s = shield;
        shield = null;
        s.release(ctx.status() >= 500);
    }

    private void connect(Origin exclude) {
        OriginPool pool = ctx.zone().origins();
        origin = tried == null ? pool.pick(exclude) : pool.pickExcluding(tried);
        if (origin == null) {
            fail(503, "No origin server of this site is available right now.");
            return;
        }
        attempts++;
        origin.onRequestStart(); // paired with exactly one onRequestEnd, through originEnded
        originCounted = true;
        ctx.upstreamStarted(System.nanoTime(), origin.id());
        Channel pooled = rt.connections().pollIdle(client.eventLoop(), origin);
        if (pooled != null) {
            attach(pooled, true);
            return;
        }
        Origin target = origin;
        int timeout = (int) Math.min(Integer.MAX_VALUE, ctx.zone().config().timeouts().connect().toMillis());
        rt.connections().connect(client.eventLoop(), target, ctx.zone().address(target), timeout)
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) attach(f.channel(), false);
                    else onConnectFailed(target, f.cause());
                });
    }

    private void onConnectFailed(Origin failed, Throwable cause) {
        if (failed == origin) originEnded(false);
        if (done) return;
        // nothing reached the origin: idempotent requests may try another one
        if (RetryPolicy.mayRetry(ctx.method(), false, attempts, ctx.zone().origins().size())) {
            if (tried == null) tried = new java.util.ArrayList<>(RetryPolicy.MAX_ATTEMPTS);
            tried.add(failed);
            connect(failed);
            return;
        }
        if (cause instanceof ConnectTimeoutException) fail(504, "The site's origin server did not accept a connection in time.");
        else fail(502, null);
    }

    private void attach(Channel ch, boolean pooled) {
        if (done) { // the client left while we were connecting: the connection is clean, keep it
            rt.connections().release(ch, origin, maxIdle());
            return;
        }
        upstream = ch;
        reused = pooled;
        upstreamHandler = ch.pipeline().get(UpstreamHandler.class);
        upstreamHandler.attach(this);
        rt.metrics().upstreamConnection(pooled);
        rt.metrics().upstreamActive().incrementAndGet();
        inviteBody();
        ch.write(ctx.request(), ch.voidPromise());
        HttpContent c;
        if (pending != null) while ((c = pending.poll()) != null) ch.write(c, ch.voidPromise());
        ch.flush();
        if (requestComplete) armFirstByteTimeout();
        owner.updateAutoRead();
    }

    /**
     * Expect: 100-continue is met here, once the phases let the request through, the origin
     * shield gave it a place and an origin connection is ready: a client refused by a ban, a limit
     * or a rule, shed, or facing an unreachable origin is never invited to upload its body. On an
     * HTTP/2 stream the 100 goes out as a HEADERS frame that does not end the stream.
     */
    private void inviteBody() {
        if (!continueOwed) return;
        continueOwed = false; // once, whatever retries follow
        if (requestComplete) return; // the client did not wait for it
        client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER),
                client.voidPromise());
    }

    // ---- response path -----------------------------------------------------------------

    void onUpstreamRead(Object msg) {
        lastUpstreamRead = System.nanoTime();
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse res) {
            if (!res.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(msg);
                closeUpstream();
                originEnded(false);
                fail(502, "The site's origin server sent an invalid response.");
                return;
            }
            int code = res.status().code();
            if (code >= 100 && code < 200) { // informational: the edge handled Expect itself; 101 is never asked for
                skipInformational = true;
                ReferenceCountUtil.release(msg);
                return;
            }
            onResponseHead(res);
        }
        if (msg instanceof HttpContent content) {
            if (skipInformational) {
                content.release();
                if (content instanceof LastHttpContent) skipInformational = false;
                return;
            }
            ctx.addBytesOut(content.content().readableBytes());
            boolean last = content instanceof LastHttpContent;
            client.write(content, client.voidPromise());
            if (last) onResponseComplete();
            else if (!client.isWritable()) upstream.config().setAutoRead(false);
        }
    }

    private void onResponseHead(HttpResponse res) {
        firstByteDeadline = 0;
        ctx.upstreamFirstByte(System.nanoTime());
        upstreamKeepAlive = HttpUtil.isKeepAlive(res);
        HttpHeaders h = res.headers();
        ForwardHeaders.removeHopByHop(h);
        int code = res.status().code();
        boolean bodyAllowed = !headRequest && code != 204 && code != 304;
        if (!h2) {
            if (bodyAllowed && ForwardHeaders.needsChunking(h)) {
                if (ctx.request().protocolVersion().equals(HttpVersion.HTTP_1_1) && !"HTTP/1.0".equals(ctx.httpVersion())) {
                    h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                } else {
                    clientKeepAlive = false; // HTTP/1.0 client: the end of the body is the end of the connection
                }
            }
            connectionHeader(h);
        }
        res.setProtocolVersion(HttpVersion.HTTP_1_1);
        rt.runner().onResponse(ctx, res);
        ctx.status(code);
        responseStarted = true;
        client.write(res, client.voidPromise());
        armIdleTimeout();
    }

    private void onResponseComplete() {
        client.flush();
        if (upstream != null) {
            Channel ch = upstream;
            detachUpstream();
            if (upstreamKeepAlive && requestComplete) rt.connections().release(ch, origin, maxIdle());
            else ch.close();
        }
        originEnded(true);
        finish();
    }

    void flushClient() {
        if (responseStarted) client.flush();
    }

    // ---- backpressure ------------------------------------------------------------------

    /** A read of the client ended, or this call was dispatched from the queue: a body still arriving is now on the clock. */
    void clientReadComplete() {
        if (bodyDeadline != null) bodyDeadline.arm();
    }

    /** The client connection is read (true) or not (false, backpressure): only reading time counts against a slow body. */
    void clientReading(boolean reading) {
        if (bodyDeadline != null) bodyDeadline.paused(!reading);
    }

    void onClientWritabilityChanged() {
        if (upstream != null && responseStarted) upstream.config().setAutoRead(client.isWritable());
    }

    void onUpstreamWritabilityChanged() {
        if (!requestComplete) owner.updateAutoRead();
    }

    // ---- failures ----------------------------------------------------------------------

    void onUpstreamClosed(Channel ch) {
        if (ch != upstream) return;
        detachUpstream();
        if (done) return;
        if (!responseStarted) {
            if (reused && !freshRetryUsed && RetryPolicy.isIdempotent(ctx.method()) && requestComplete && ctx.bytesIn() == 0) {
                // the origin closed a pooled connection just as we reused it: not the origin's fault, try a fresh one
                freshRetryUsed = true;
                pendingQueue().add(LastHttpContent.EMPTY_LAST_CONTENT);
                attempts--;
                connectFresh();
                return;
            }
            originEnded(false);
            fail(502, null);
        } else {
            originEnded(false);
            abortClient();
        }
    }

    void onClientClosed() {
        if (done) return;
        if (ctx.status() == 0 || !responseStarted) ctx.status(499); // client closed request (nginx's convention)
        originEnded(true); // the client left; says nothing against the origin
        closeUpstream();
        finish();
    }

    private ArrayDeque<HttpContent> pendingQueue() {
        if (pending == null) pending = new ArrayDeque<>(2);
        return pending;
    }

    private Runnable timerAction() {
        if (onTimer == null) onTimer = this::onTimer;
        return onTimer;
    }

    /**
     * The one deadline of this call, on its connection's {@link CallTimer}. Before the response:
     * the first-byte deadline (504). After the response head: the idle deadline, measured from
     * the last upstream read. A timer that fires before the deadline now due just re-arms for it,
     * so neither the response head nor a read ever moves the timer, and the end of the call
     * leaves the connection's scheduled task to the next call instead of cancelling it.
     */
    private void onTimer() {
        if (done) return;
        long now = System.nanoTime();
        if (!responseStarted) {
            if (firstByteDeadline == 0) return; // not armed: the request body is still being sent
            if (now - firstByteDeadline >= 0) {
                closeUpstream();
                originEnded(false);
                fail(504, null);
            } else {
                timer.arm(timerAction(), firstByteDeadline, now);
            }
            return;
        }
        long idleDeadline = lastUpstreamRead + ctx.zone().config().timeouts().idle().toNanos();
        if (now - idleDeadline >= 0) {
            originEnded(false);
            closeUpstream();
            abortClient();
        } else {
            timer.arm(timerAction(), idleDeadline, now);
        }
    }

    /**
     * The body arrives below {@code min_body_rate} (or past {@code body_timeout}): 408 and the
     * connection closed (on HTTP/2, the stream reset), the origin's half-sent request dropped.
     */
    private void onSlowBody(BodyRate.Verdict v) {
        if (done || requestComplete) return;
        boolean tooLong = v == BodyRate.Verdict.TOO_LONG;
        rt.metrics().slowClient(tooLong ? "body_timeout" : "body_rate");
        ctx.action("blocked", tooLong ? "body_timeout" : "min_body_rate");
        closeClientAfter = true;
        closeUpstream();
        fail(408, tooLong ? "The request body took too long to arrive." : "The request body arrived too slowly.");
        if (h2) client.close(); // after the 408: resets the stream, whose remaining body nobody wants
    }

    private void fail(int status, String reason) {
        if (done) return;
        if (responseStarted) {
            abortClient();
            return;
        }
        ctx.answer(status, ctx.action(), ctx.rule(), reason);
        sendAnswer();
    }

    /** Sends the edge's own answer (error page) and finishes. */
    void sendAnswer() {
        if (done) return;
        RequestContext.Answer a = ctx.edgeAnswer();
        if (a.delayNanos() > 0 && !answerHeldBack) { // tarpit: answer later, from the event loop, never sleeping
            answerHeldBack = true;
            long now = System.nanoTime();
            timer.arm(this::sendAnswer, now + a.delayNanos(), now);
            return;
        }
        // the page's time, from the clock read that also ends the call (a clock read is ~2 % of a refusal)
        long now = System.nanoTime();
        long pageMillis = ctx.startMillis() + (now - ctx.startNanos()) / 1_000_000;
        // An error page on HTTP/1.1 (every refusal: ban, limit, firewall block, unknown host) goes out
        // already encoded (ErrorPages#encode): the phases see a head with only the headers that vary.
        boolean encoded = a.body() == null && !h2;
        String accept = ctx.request().headers().get(HttpHeaderNames.ACCEPT);
        HttpResponse res = encoded ? new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(a.status()), ErrorPages.OWN_HEADERS)
                : a.body() == null ? ErrorPages.render(client.alloc(), a.status(), a.reason(), ctx.requestId(),
                        pageMillis, accept, headRequest)
                : ErrorPages.response(HttpResponseStatus.valueOf(a.status()), headRequest ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(a.body()));
        for (java.util.Map.Entry<String, String> h : a.headers()) ErrorPages.addChecked(res.headers(), h.getKey(), h.getValue());
        if (a.body() != null && !res.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, a.body().length);
        if (!h2) {
            if (requestHasBody && !requestComplete) closeClientAfter = true; // unread body bytes: the connection cannot be reused
            connectionHeader(res.headers());
        }
        rt.runner().onResponse(ctx, res);
        ctx.status(a.status());
        responseStarted = true;
        if (encoded) {
            ErrorPages.Wire wire = ErrorPages.encode(client.alloc(), a.status(), a.reason(), ctx.requestId(),
                    pageMillis, accept, headRequest, res.headers());
            ctx.addBytesOut(wire.bodyLength());
            owner.writeEncoded(wire.bytes());
        } else {
            FullHttpResponse full = (FullHttpResponse) res;
            ctx.addBytesOut(full.content().readableBytes());
            client.writeAndFlush(full);
        }
        finish(now);
    }

    private void connectionHeader(HttpHeaders h) {
        if (closeClientAfter || ctx.closesConnection() || rt.draining()) clientKeepAlive = false;
        if (!clientKeepAlive) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        else if ("HTTP/1.0".equals(ctx.httpVersion())) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }

    private void abortClient() {
        clientKeepAlive = false;
        closeUpstream();
        client.close();
        finish();
    }

    private void finish() { finish(System.nanoTime()); }

    private void finish(long nowNanos) {
        if (done) return;
        done = true;
        timer.disarm();
        if (bodyDeadline != null) bodyDeadline.end();
        ctx.ended(nowNanos);
        HttpContent c;
        if (pending != null) while ((c = pending.poll()) != null) c.release();
        closeUpstream();
        originEnded(true); // still counted only when the edge itself cut the request short (413, client gone)
        releaseShield();
        ctx.runFinishers();
        rt.runner().finished(ctx);
        owner.callFinished(this, !clientKeepAlive);
    }

    // ---- helpers -----------------------------------------------------------------------

    private void closeUpstream() {
        if (upstream == null) return;
        Channel ch = upstream;
        detachUpstream();
        ch.close();
    }

    private void detachUpstream() {
        if (upstream == null) return;
        upstreamHandler.detach();
        if (!upstream.config().isAutoRead()) upstream.config().setAutoRead(true);
        upstream = null;
        upstreamHandler = null;
        rt.metrics().upstreamActive().decrementAndGet();
    }

    private void armFirstByteTimeout() {
        if (responseStarted) return; // the origin answered before the upload ended: the idle timer runs
        long now = System.nanoTime();
        firstByteDeadline = now + ctx.zone().config().timeouts().firstByte().toNanos();
        if (firstByteDeadline == 0) firstByteDeadline = 1; // 0 means "not armed"
        timer.arm(timerAction(), firstByteDeadline, now);
    }

    private void armIdleTimeout() {
        long now = System.nanoTime();
        lastUpstreamRead = now;
        timer.arm(timerAction(), now + ctx.zone().config().timeouts().idle().toNanos(), now);
    }

    private int maxIdle() {
        ZoneConfig z = ctx.zone().config();
        return z.origins().maxIdlePerOrigin();
    }

    /** Reports the end of this request to the origin's passive health, once. */
    private void originEnded(boolean success) {
        if (!originCounted) return;
        originCounted = false;
        origin.onRequestEnd(success);
    }

    /** Opens a new connection to the same origin, bypassing the idle list. */
    private void connectFresh() {
        Origin target = origin;
        attempts++;
        int timeout = (int) Math.min(Integer.MAX_VALUE, ctx.zone().config().timeouts().connect().toMillis());
        rt.connections().connect(client.eventLoop(), target, ctx.zone().address(target), timeout)
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) attach(f.channel(), false);
                    else onConnectFailed(target, f.cause());
                });
    }
}
