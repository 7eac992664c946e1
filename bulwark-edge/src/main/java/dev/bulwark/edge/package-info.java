/**
 * Bulwark's data plane. {@link dev.bulwark.edge.Edge} is the whole public surface: start it with a
 * {@code BulwarkConfig} and {@link dev.bulwark.edge.EdgeServices}, swap configs with {@code apply}, stop it with
 * {@code shutdown(drain)}.
 *
 * <ul>
 *   <li>{@code transport} — epoll / io_uring / NIO selection;</li>
 *   <li>{@code tls} — certificates per zone chosen by SNI, TLS 1.2/1.3, ALPN;</li>
 *   <li>{@code codec} — pipelines per listener, strict HTTP/1.1 decoding, h2c detection, header deadline;</li>
 *   <li>{@code zone} — the immutable host → zone table;</li>
 *   <li>{@code proxy} — the request context, the phase runner (the order of the request path), and the
 *       streaming proxy with its per-event-loop upstream connection pool;</li>
 *   <li>{@code policy.*} — one package per phase;</li>
 *   <li>{@code upstream} — origin pools, balancing, health checks;</li>
 *   <li>{@code observe} — request ids, access-log JSON, Micrometer meters.</li>
 * </ul>
 */
package dev.bulwark.edge;
