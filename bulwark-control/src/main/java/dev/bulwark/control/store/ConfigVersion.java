package dev.bulwark.control.store;

/** A committed config version: its number, who made it, when (epoch ms) and why. */
public record ConfigVersion(long number, String author, long createdAt, String message) {}
