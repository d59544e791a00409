package dev.grove.actions.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The last result of each Test and Run of a project, by action version, kept on this machine in
 * {@code .grove/results/<kind>.<name>.json} (as Garden keeps its in {@code .garden}): a Test whose
 * version passed before is ready and does not run again.
 *
 * @see <a href="https://docs.garden.io/reference/commands#garden-test">garden test --force</a>
 */
public final class LocalResults {
  /** The most of a result's log that is kept (its end). */
  static final int MAX_LOG_CHARS = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalResults() {}

  /** Where the action's result lives. */
  public static Path file(Path projectRoot, String kind, String name) {
    return projectRoot.resolve(".grove").resolve("results").resolve(kind + "." + name + ".json");
  }

  private static Path file(ActionContext ctx) {
    return file(
        ctx.projectRoot(),
        ctx.ref().kind().name().toLowerCase(java.util.Locale.ROOT),
        ctx.ref().name());
  }

  /** The action's last result, or empty when there is none or it cannot be read. */
  public static Optional<RunResult> read(ActionContext ctx) {
    return read(file(ctx));
  }

  /** The result in {@code file}, or empty when there is none or it cannot be read. */
  public static Optional<RunResult> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(JSON.readTree(file.toFile())));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty(); // a torn or hand-edited file: as if there were none
    }
  }

  /** A result as {@link #json} wrote it; throws on anything else. */
  static RunResult parse(JsonNode node) {
    return new RunResult(
        node.path("version").asText(),
        node.path("exitCode").asInt(-1),
        Instant.parse(node.path("startedAt").asText()),
        Instant.parse(node.path("finishedAt").asText()),
        node.path("log").asText(""));
  }

  /** The result of {@code ctx}'s action as JSON (its log's end only), as kept everywhere. */
  public static String json(ActionContext ctx, RunResult result) throws IOException {
    String log = result.log();
    if (log.length() > MAX_LOG_CHARS) {
      log = log.substring(log.length() - MAX_LOG_CHARS);
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("action", ctx.ref().toString());
    node.put("version", result.version());
    node.put("exitCode", result.exitCode());
    node.put("startedAt", result.startedAt().toString());
    node.put("finishedAt", result.finishedAt().toString());
    node.put("log", log);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
  }

  /** Reads what {@link #json} wrote; empty when it cannot be read. */
  public static Optional<RunResult> fromJson(String json) {
    try {
      return Optional.of(parse(JSON.readTree(json)));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /** Records the action's result (atomically: a reader sees the old one or the new one). */
  public static void write(ActionContext ctx, RunResult result) throws IOException {
    Path file = file(ctx);
    Files.createDirectories(file.getParent());
    String json = json(ctx, result);
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temp, json);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
