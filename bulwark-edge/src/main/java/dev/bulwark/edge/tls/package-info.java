/** TLS termination: server contexts per zone certificate, rebuilt on reload, chosen by SNI per handshake. */
package dev.bulwark.edge.tls;
