/** Zones as the data plane holds them: the immutable host → zone table of one snapshot. */
package dev.bulwark.edge.zone;
