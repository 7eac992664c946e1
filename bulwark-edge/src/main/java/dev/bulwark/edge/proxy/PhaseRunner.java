package dev.bulwark.edge.proxy;

import dev.bulwark.edge.policy.access.BlocklistPhase;
import dev.bulwark.edge.policy.challenge.ChallengeEndpointsPhase;
import dev.bulwark.edge.policy.challenge.ChallengePhase;
import dev.bulwark.edge.policy.challenge.ClearancePhase;
import dev.bulwark.edge.policy.ddos.AttackMitigationPhase;
import dev.bulwark.edge.policy.ddos.TrafficSamplingPhase;
import dev.bulwark.edge.policy.firewall.FirewallPhase;
import dev.bulwark.edge.policy.limits.ZoneLimitsPhase;
import dev.bulwark.edge.policy.ratelimit.RateLimitPhase;
import dev.bulwark.edge.policy.logging.AccessLogPhase;
import dev.bulwark.edge.policy.logging.ActionMetricsPhase;
import dev.bulwark.edge.policy.notice.NoticePhase;
import dev.bulwark.edge.policy.response.ResponseHeadersPhase;
import dev.bulwark.edge.policy.zone.ZoneRoutingPhase;
import io.netty.handler.codec.http.HttpResponse;

import java.util.List;

/**
 * The order of the request path. Before the first phase runs, the channel pipeline has done
 * accept (connection guard: bans and caps, then tracking), tls (SNI -> zone certificate, ALPN) and codec (strict HTTP/1.1
 * or HTTP/2 parsing, size limits, header deadline). Then, for each request:
 * <ol>
 *   <li>request phases, in order, until one answers;</li>
 *   <li>upstream: the zone's origin shield (wait for a slot or 503), pick an origin, take a pooled
 *       connection, stream both ways ({@link ProxyCall#forward});</li>
 *   <li>response phases on the response head, whether the origin or the edge produced it;</li>
 *   <li>logging, which always runs exactly once.</li>
 * </ol>
 * Adding a policy is one class and one line in {@link #standard}.
 */
public final class PhaseRunner {
    private final Phase[] requestPhases;
    private final ResponsePhase[] responsePhases;
    private final LoggingPhase logging;

    public PhaseRunner(List<Phase> requestPhases, List<ResponsePhase> responsePhases, LoggingPhase logging) {
        this.requestPhases = requestPhases.toArray(Phase[]::new);
        this.responsePhases = responsePhases.toArray(ResponsePhase[]::new);
        this.logging = logging;
    }

    /** The standard request path, top to bottom. */
    public static PhaseRunner standard(EdgeRuntime rt) {
        return new PhaseRunner(
                List.of(
                        new ZoneRoutingPhase(),            // zone: Host -> zone; unknown host answered (404/421), never forwarded
                        new NoticePhase(),                 // notice: terminated zone or blocked URL -> notice page (403/451); abuse-form redirect
                        new ChallengeEndpointsPhase(),     // challenge endpoints: script, verify, wait, check; never blocked
                        new ClearancePhase(),              // clearance: verify the cookie once; level and id for every later phase
                        new BlocklistPhase(),              // access: banned addresses and ranges (bans made mid-connection, proxied clients)
                        new FirewallPhase(),               // firewall: block (403) / challenge / allow / skip / log
                        new AttackMitigationPhase(),       // mitigation: the attack detector's temporary rule, while a flood lasts
                        new RateLimitPhase(),              // ratelimit: block (429) / tarpit / challenge / log; bans
                        new ChallengePhase(),              // challenge: interstitial or 403 JSON when asked or under attack
                        new ZoneLimitsPhase()),            // zone limits: body size (413), requests in flight (503), for what passed
                                                           // upstream: ProxyCall#forward (origin shield, then an origin), after every request phase continued
                List.of(new ResponseHeadersPhase()),       // response: request id, Via
                logging(new AccessLogPhase(rt.services(), rt.metrics()), // logging: JSON line and meters, always
                        new ActionMetricsPhase(rt.metrics().registry()), // mitigations per zone and action
                        new TrafficSamplingPhase()));      //          and the zone's attack sampler
    }

    /** Several logging steps run in order as one. */
    private static LoggingPhase logging(LoggingPhase... steps) {
        return ctx -> {
            for (LoggingPhase s : steps) s.finished(ctx);
        };
    }

    void run(RequestContext ctx, ProxyCall call) {
        for (Phase p : requestPhases) {
            if (p.run(ctx) == Phase.Result.ANSWERED) {
                call.sendAnswer();
                return;
            }
        }
        call.forward();
    }

    void onResponse(RequestContext ctx, HttpResponse response) {
        for (ResponsePhase p : responsePhases) p.apply(ctx, response);
    }

    void finished(RequestContext ctx) {
        logging.finished(ctx);
    }
}
