/**
 * The upstream phase's machinery: which origin of a zone gets a request, and whether it may.
 *
 * <ul>
 *   <li>{@link dev.bulwark.edge.upstream.OriginPool} — built once per config version from the zone's
 *       {@code OriginPoolConfig}; {@code pick(exclude)} returns an available origin by round-robin, smooth
 *       weighted round-robin or least-outstanding (two random choices), or {@code null} for a 503.
 *       {@code inheritFrom(previous)} keeps health across reloads.</li>
 *   <li>{@link dev.bulwark.edge.upstream.Origin} — one server; the proxy reports every request's start and
 *       end (and connect failures) to it, which drives passive ejection and the least-outstanding strategy.</li>
 *   <li>{@link dev.bulwark.edge.upstream.HealthChecker} — active HTTP probes on the edge's own event loops,
 *       and the per-origin gauges.</li>
 *   <li>{@link dev.bulwark.edge.upstream.RetryPolicy} — the pure rule for sending a failed request again.</li>
 * </ul>
 *
 * <p>Nothing here holds a lock on the request path: picks read immutable arrays, atomics and volatiles.
 * Time comes from an injected {@code Clock}, so ejection and probation are tested without waiting.
 */
package dev.bulwark.edge.upstream;
