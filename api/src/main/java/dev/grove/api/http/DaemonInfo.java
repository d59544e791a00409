package dev.grove.api.http;

/**
 * The contents of {@code $GROVE_HOME/daemon.json}: how a client reaches the running daemon.
 *
 * @param buildId identifies the daemon's code, so a client can replace a daemon that runs stale
 *     jars
 */
public record DaemonInfo(int port, long pid, String token, String buildId) {}
