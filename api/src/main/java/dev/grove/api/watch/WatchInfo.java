package dev.grove.api.watch;

import java.util.List;

/**
 * A watch the daemon keeps. Its events carry {@code runId = watchId} ({@code fileChanged}, {@code
 * watchTriggered}, {@code watchError}, {@code watchStopped}); its runs' ids are {@code watchId.N},
 * and following {@code runId=watchId} streams both.
 *
 * @param state {@code watching}, {@code running} (a run is in progress) or {@code stopped}
 * @param runIds the watch's runs, oldest first
 */
public record WatchInfo(
    String watchId, String project, String command, String state, List<String> runIds) {
  public WatchInfo {
    runIds = runIds == null ? List.of() : List.copyOf(runIds);
  }
}
