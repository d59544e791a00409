package dev.grove.orchestrator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grove.orchestrator.dashboard.DashboardSessions;
import java.io.IOException;
import java.util.List;

/**
 * The dashboard page sends project requests without the client's environment (the page never sees
 * it): for a session's request, the project of the session's own root gets the environment (and
 * working directory) of the {@code grove dashboard} that opened it, so that what the page starts
 * runs as the CLI's would. Where a request names its project: the body itself (validate, graph,
 * layout), its {@code project} (runs, results, logs...) or its {@code run.project} (watches).
 */
final class SessionBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final List<List<String>> PROJECT_PATHS =
      List.of(List.of(), List.of("project"), List.of("run", "project"));

  private SessionBodies() {}

  /** {@code body} with the session's environment in its project; as it was without a session. */
  static byte[] fill(DashboardSessions.Session session, byte[] body) {
    if (session == null || body == null || body.length == 0) {
      return body;
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return body; // the route answers the parse error as for any client
    }
    boolean changed = false;
    for (List<String> path : PROJECT_PATHS) {
      JsonNode node = root;
      for (String key : path) {
        node = node == null ? null : node.get(key);
      }
      if (node instanceof ObjectNode project
          && session.project().root() != null
          && session.project().root().equals(project.path("root").asText(null))) {
        if (project.path("env").isMissingNode() || project.path("env").isEmpty()) {
          project.set("env", JSON.valueToTree(session.project().env()));
          changed = true;
        }
        if (project.path("cwd").asText("").isEmpty()) {
          project.put("cwd", session.project().cwd());
          changed = true;
        }
      }
    }
    try {
      return changed ? JSON.writeValueAsBytes(root) : body;
    } catch (IOException e) {
      return body;
    }
  }
}
