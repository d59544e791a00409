package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grove deploy --watch} through the real CLI and daemon: a save redeploys, another grove
 * attaches to the watch and detaches, Ctrl-C on the watching grove stops the watch in the daemon.
 */
class WatchE2E {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURE =
      Path.of("../orchestrator/src/test/resources/projects/watch").toAbsolutePath().normalize();

  @TempDir static Path dir;
  private static GroveProcess grove;

  @BeforeAll
  static void setUp() throws Exception {
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    grove.stopDaemon();
  }

  /** The JSON lines written so far. */
  private static List<JsonNode> lines(Path out) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      if (line.startsWith("{")) {
        events.add(JSON.readTree(line));
      }
    }
    return events;
  }

  private static JsonNode await(Path out, Predicate<JsonNode> which) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode event : lines(out)) {
        if (which.test(event)) {
          return event;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not seen in 40 s; output:\n" + Files.readString(out));
  }

  private static Predicate<JsonNode> type(String type) {
    return event -> event.path("type").asText().equals(type);
  }

  @Test
  void aSaveRedeploysAnotherGroveAttachesAndCtrlCStopsTheWatch() throws Exception {
    Path project = GroveProcess.copyTree(FIXTURE, dir.resolve("project"));
    Path out = dir.resolve("watch.jsonl");
    Process watching =
        grove.start(
            out, "deploy", "api", "--watch", "--root", project.toString(), "--output", "jsonl");
    try {
      JsonNode first = await(out, type("runFinished"));
      String watchId = first.path("runId").asText().replaceAll("\\.1$", "");
      assertThat(watchId).startsWith("watch-");
      assertThat(grove.run("runs").out()).contains(watchId + "  deploy --watch watch");
      Thread.sleep(300); // the run's own writes settle (WatchesTest says why)

      Files.writeString(project.resolve("api/main.txt"), "a change");
      JsonNode triggered = await(out, type("watchTriggered"));
      assertThat(triggered.path("payload").path("actions").toString()).contains("deploy.api");
      JsonNode second =
          await(
              out,
              e ->
                  e.path("type").asText().equals("runFinished")
                      && e.path("runId").asText().equals(watchId + ".2"));
      assertThat(second.path("payload").path("result").asText()).isEqualTo("succeeded");
      assertThat(await(out, type("fileChanged")).path("payload").path("paths").toString())
          .contains("api/main.txt");

      // another grove attaches (replaying the watch so far), then detaches with Ctrl-C
      Path attachedOut = dir.resolve("attached.jsonl");
      Process attached = grove.start(attachedOut, "attach", watchId, "--output", "jsonl");
      await(attachedOut, type("watchTriggered"));
      GroveProcess.interrupt(attached);
      assertThat(attached.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(watching.isAlive()).as("detaching left the watch and its grove running").isTrue();

      // Ctrl-C on the watching grove stops the watch in the daemon
      GroveProcess.interrupt(watching);
      assertThat(watching.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      GroveProcess.Result gone = grove.run("attach", watchId);
      assertThat(gone.exitCode()).isNotZero();
      assertThat(gone.err()).contains("No watch " + watchId);
    } finally {
      watching.destroyForcibly();
    }
  }
}
