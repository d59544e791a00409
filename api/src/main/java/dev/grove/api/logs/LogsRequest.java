package dev.grove.api.logs;

import dev.grove.api.project.ProjectRequest;
import java.util.List;

/**
 * {@code grove logs}: the first text message a client sends on the {@link
 * dev.grove.api.http.Routes#LOGS} websocket. The project travels in the message, not the query,
 * because it carries the client's whole environment.
 *
 * @param names Deploy names; none means every enabled Deploy of the project
 * @param follow keep streaming: new pods are picked up, ended ones drop out
 * @param sinceSeconds only lines younger than this; null for no limit
 * @param tail at most this many of the last lines per container that exists when the stream starts;
 *     null for all (containers that start later are shown from their first line)
 */
public record LogsRequest(
    ProjectRequest project, List<String> names, boolean follow, Long sinceSeconds, Integer tail) {
  /** The largest {@code sinceSeconds} a daemon takes: 100 years (36,500 days). */
  public static final long MAX_SINCE_SECONDS = 36_500L * 86_400L;

  public LogsRequest {
    names = names == null ? List.of() : List.copyOf(names);
  }
}
