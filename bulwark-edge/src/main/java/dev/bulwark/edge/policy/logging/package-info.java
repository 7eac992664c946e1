/** Logging phase: the access-log line and request meters, for every request however it ended. */
package dev.bulwark.edge.policy.logging;
