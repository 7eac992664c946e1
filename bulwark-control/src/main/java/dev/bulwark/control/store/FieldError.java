package dev.bulwark.control.store;

/** One refused field of a write: its path (e.g. {@code origins.servers[0].url}) and why. */
public record FieldError(String field, String reason) {}
