/** Phase "zone limits": max_body_bytes and max_concurrent_requests of the zone. */
package dev.bulwark.edge.policy.limits;
