package dev.bulwark.control.auth;

import java.util.Set;

/** A stored token as listed: never its secret. {@code zones} contains "*" for every zone. */
public record ApiToken(String id, String operatorId, String name, Set<String> zones, Set<Permission> permissions,
                       long createdAt, Long expiresAt, Long revokedAt) {}
