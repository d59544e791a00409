package dev.grove.api.dashboard;

/**
 * A one-time dashboard login ({@code grove dashboard}).
 *
 * @param code traded once for a session at {@code path}, within {@code expiresInSeconds}
 * @param path where the browser goes with it: {@code /ui/login?code=...}
 */
public record DashboardCode(String code, String path, long expiresInSeconds) {}
