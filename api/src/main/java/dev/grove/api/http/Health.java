package dev.grove.api.http;

/** The answer of {@link Routes#HEALTH}. */
public record Health(String status, long pid, String buildId, long uptimeMs, int projects) {}
