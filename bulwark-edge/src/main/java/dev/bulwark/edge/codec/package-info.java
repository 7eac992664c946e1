/**
 * Channel pipelines. {@link dev.bulwark.edge.codec.ListenerInitializer} builds, per accepted connection:
 * connection tracking, flush consolidation, then on https listeners SNI → certificate and ALPN (h2 or
 * http/1.1), on http listeners h2c prior-knowledge detection; then the HTTP/1.1 pipeline (idle timer,
 * {@link dev.bulwark.edge.codec.HeaderDeadline}, {@link dev.bulwark.edge.codec.StrictRequestDecoder},
 * response encoder, 100-continue) or the HTTP/2 one (frame codec with header validation, one child channel
 * per stream converted to HTTP/1-style objects), ending in the proxy's client handler.
 */
package dev.bulwark.edge.codec;
