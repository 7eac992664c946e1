/** Request ids, the access-log JSON line, and the edge's Micrometer meters. */
package dev.bulwark.edge.observe;
