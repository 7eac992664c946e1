/**
 * The request path. {@link dev.bulwark.edge.proxy.PhaseRunner#standard} lists the phases in order;
 * {@link dev.bulwark.edge.proxy.ClientHandler} turns decoded requests (HTTP/1.1 connection or HTTP/2
 * stream) into {@link dev.bulwark.edge.proxy.ProxyCall}s; a ProxyCall runs the phases over its
 * {@link dev.bulwark.edge.proxy.RequestContext} and, unless a phase answered, streams the request to an
 * origin over a connection from {@link dev.bulwark.edge.proxy.OriginConnections}, on the client's own event
 * loop.
 *
 * <p>To add a policy: write a class implementing {@link dev.bulwark.edge.proxy.Phase} in its own
 * {@code policy.<name>} package (read the request through {@code RequestFacts}, answer with
 * {@link dev.bulwark.edge.proxy.RequestContext#answer}), and add one line to {@code PhaseRunner.standard}.
 */
package dev.bulwark.edge.proxy;
