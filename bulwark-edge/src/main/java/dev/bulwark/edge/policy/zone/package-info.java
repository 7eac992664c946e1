/** Phase "zone": Host → zone; unknown hosts are answered by the edge and never forwarded. */
package dev.bulwark.edge.policy.zone;
