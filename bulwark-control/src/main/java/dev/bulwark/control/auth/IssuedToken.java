package dev.bulwark.control.auth;

/** A token just created: {@code secret} is the full bearer value and is never shown again. */
public record IssuedToken(ApiToken token, String secret) {}
