/** Response phase: request id and Via on every response. */
package dev.bulwark.edge.policy.response;
