package dev.bulwark.control.auth;

/** A person who operates zones, with the role that bounds their tokens. */
public record Operator(String id, String accountId, String name, Role role, long createdAt) {}
