package dev.grove.orchestrator.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.EventPayload;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.run.ActionState;
import dev.grove.api.run.RunRequest;
import dev.grove.api.watch.WatchInfo;
import dev.grove.api.watch.WatchRequest;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.project.DefaultProjectService;
import dev.grove.orchestrator.solver.Limits;
import dev.grove.orchestrator.solver.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches on real files, real exec processes and the real file watcher. */
class WatchesTest {
  private record Recorded(String runId, ActionInfo action, EventPayload payload) {
    String ref() {
      return action == null ? null : action.ref();
    }

    <T extends EventPayload> T payload(Class<T> type) {
      return type.cast(payload);
    }
  }

  private final List<Recorded> events = new ArrayList<>();
  private Watches watches;

  @TempDir Path dir;

  private synchronized void record(String runId, ActionInfo action, EventPayload payload) {
    events.add(new Recorded(runId, action, payload));
  }

  private synchronized List<Recorded> events(Predicate<Recorded> which) {
    return events.stream().filter(which).toList();
  }

  private Path project() {
    return Fixtures.copy("watch", dir.resolve("watch"));
  }

  private WatchInfo watch(Path root, List<String> names) {
    return watch(root, names, 200);
  }

  private WatchInfo watch(Path root, List<String> names, long quietMs) {
    return watch(root, "deploy", names, quietMs);
  }

  private WatchInfo watch(Path root, String command, List<String> names, long quietMs) {
    DefaultProjectService projects = new DefaultProjectService(Fixtures.router());
    Runs runs = new Runs(projects, Fixtures.router(), this::record, Limits.defaults());
    watches = new Watches(projects, runs, this::record);
    RunRequest run =
        new RunRequest(
            new ProjectRequest(
                root.toString(), "/", null, Map.of(), Map.of("PATH", System.getenv("PATH"))),
            command,
            names,
            false,
            false,
            false);
    return watches.start(new WatchRequest(run, quietMs, 5000L));
  }

  @AfterEach
  void stop() {
    if (watches != null) {
      watches.stopAll();
    }
  }

  /** Waits for the event (up to 20 s), then answers it. */
  private Recorded await(Predicate<Recorded> which) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      List<Recorded> found = events(which);
      if (!found.isEmpty()) {
        return found.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no such event in 20 s; events: " + events(e -> true));
  }

  /**
   * Waits for the run's end and the watch to be watching again: until then, what an exec action
   * writes into its own folder (for 150 ms after it ran) is taken as its output, not a save.
   */
  private void awaitRun(String runId) throws InterruptedException {
    await(finished(runId));
    String watchId = runId.substring(0, runId.indexOf('.'));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!watches.get(watchId).orElseThrow().state().equals("watching")) {
      assertThat(System.nanoTime()).as("the watch is watching again").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static Predicate<Recorded> finished(String runId) {
    return e -> e.payload() instanceof EventPayload.RunFinished && e.runId().equals(runId);
  }

  private static Predicate<Recorded> type(Class<? extends EventPayload> type) {
    return e -> type.isInstance(e.payload());
  }

  private static boolean processing(Recorded event) {
    return event.payload() instanceof EventPayload.ActionStatus status
        && status.state() == ActionState.PROCESSING;
  }

  /** The actions a run processed (ran their command). */
  private List<String> processed(String runId) {
    return events(e -> e.runId().equals(runId) && processing(e)).stream()
        .map(Recorded::ref)
        .sorted()
        .toList();
  }

  private static void save(Path file, String content) throws Exception {
    Files.writeString(file, content);
  }

  @Test
  void thirtySavesInOneSecondMakeOneRun() throws Exception {
    Path root = project();
    // a quiet period of 1 s: on a loaded machine a 33 ms sleep can take a few hundred ms, which
    // a 200 ms quiet period would rightly take as the end of the burst
    WatchInfo info = watch(root, List.of("api"), 1000);
    awaitRun(info.watchId() + ".1");

    for (int i = 0; i < 30; i++) {
      save(root.resolve("api/main.txt"), "edit " + i);
      Thread.sleep(33);
    }
    await(finished(info.watchId() + ".2"));
    Thread.sleep(1500); // a second run would have started by now

    assertThat(events(type(EventPayload.WatchTriggered.class))).hasSize(1);
    assertThat(events(finished(info.watchId() + ".3"))).isEmpty();
    assertThat(
            events(type(EventPayload.FileChanged.class))
                .get(0)
                .payload(EventPayload.FileChanged.class)
                .paths())
        .isEqualTo(List.of("api/main.txt"));
  }

  @Test
  void anEditRedeploysItsActionAndItsDependantsOnly() throws Exception {
    Path root = project();
    WatchInfo info = watch(root, List.of());
    awaitRun(info.watchId() + ".1");
    assertThat(processed(info.watchId() + ".1"))
        .contains("build.api", "build.web", "deploy.gateway", "deploy.web");

    save(root.resolve("api/main.txt"), "a change");
    Recorded triggered = await(type(EventPayload.WatchTriggered.class));
    await(finished(info.watchId() + ".2"));

    assertThat(triggered.payload(EventPayload.WatchTriggered.class).actions())
        .isEqualTo(List.of("deploy.api", "deploy.gateway"));
    assertThat(triggered.payload(EventPayload.WatchTriggered.class).changed().toString())
        .contains("build.api", "deploy.api");
    assertThat(processed(info.watchId() + ".2"))
        .containsExactly("build.api", "deploy.api", "deploy.gateway");
  }

  @Test
  void aBuildWritingIntoItsOwnFolderIgnoredFilesAndGrovesFolderNeverTrigger() throws Exception {
    Path root = project();
    WatchInfo info = watch(root, List.of("writer"));
    awaitRun(info.watchId() + ".1");
    assertThat(Files.readString(root.resolve("writer/generated.txt"))).startsWith("generated");

    save(root.resolve("api/debug.log"), "ignored by .gardenignore");
    Files.createDirectories(root.resolve(".grove"));
    save(root.resolve(".grove/state"), "Grove's own");
    Thread.sleep(1500);

    assertThat(events(type(EventPayload.WatchTriggered.class))).isEmpty();
    assertThat(events(type(EventPayload.FileChanged.class))).isEmpty();
    assertThat(events(type(EventPayload.RunStarted.class))).hasSize(1);

    // a real save still runs (and its build writes again, without a loop)
    save(root.resolve("writer/input.txt"), "a change");
    await(finished(info.watchId() + ".2"));
    Thread.sleep(1500);
    assertThat(events(type(EventPayload.RunStarted.class))).hasSize(2);
  }

  /** The run's first {@code processing} event, waited for. */
  private void awaitProcessing(String runId) throws InterruptedException {
    await(e -> e.runId().equals(runId) && processing(e));
  }

  @Test
  void savesDuringARunMakeOneFollowUpRun() throws Exception {
    Path root = project();
    WatchInfo info = watch(root, List.of("slow", "api"));
    awaitRun(info.watchId() + ".1");

    save(root.resolve("slow/main.txt"), "first");
    awaitProcessing(info.watchId() + ".2");
    for (int i = 0; i < 5; i++) { // spread over the 1.5 s build: some quiet periods end during it
      save(root.resolve("api/main.txt"), "during " + i);
      Thread.sleep(250);
    }
    awaitRun(info.watchId() + ".3");
    Thread.sleep(1000);

    assertThat(events(type(EventPayload.RunStarted.class))).hasSize(3);
    assertThat(processed(info.watchId() + ".3")).containsExactly("build.api", "deploy.api");
  }

  @Test
  void aSaveWhoseQuietPeriodOutlastsTheRunIsNotLost() throws Exception {
    Path root = project();
    WatchInfo info = watch(root, List.of("slow", "api"), 500);
    awaitRun(info.watchId() + ".1");

    save(root.resolve("slow/main.txt"), "first");
    awaitProcessing(info.watchId() + ".2");
    Thread.sleep(1300); // the build ends ~200 ms from now; this save's quiet period is 500 ms
    save(root.resolve("api/main.txt"), "at the end of the run");

    awaitRun(info.watchId() + ".3");
    assertThat(processed(info.watchId() + ".3")).containsExactly("build.api", "deploy.api");
  }

  @Test
  void aBuildWritingIntoItsFolderDoesNotLoopWhenOtherFilesChangeDuringItsRun() throws Exception {
    Path root = project();
    WatchInfo info = watch(root, List.of("writer"));
    awaitRun(info.watchId() + ".1");

    save(root.resolve("writer/input.txt"), "a change");
    awaitProcessing(info.watchId() + ".2");
    save(root.resolve("api/debug.log"), "ignored, during the writer's run");
    awaitRun(info.watchId() + ".2");
    Thread.sleep(2500); // a loop would have started run 3 (and 4) by now

    assertThat(events(type(EventPayload.RunStarted.class))).hasSize(2);
  }

  @Test
  void aBrokenConfigIsReportedAndTheNextGoodSaveResumes() throws Exception {
    Path root = project();
    WatchInfo info = watch(root, List.of("web"));
    awaitRun(info.watchId() + ".1");
    Path config = root.resolve("web/garden.yml");
    String good = Files.readString(config);

    save(config, good.replace("name: web\nspec:", "name: web\nspec: [unclosed"));
    Recorded error = await(type(EventPayload.WatchError.class));
    assertThat(error.payload(EventPayload.WatchError.class).error().toString())
        .contains("web/garden.yml");

    save(config, good.replace("deploying web", "deploying web again"));
    awaitRun(info.watchId() + ".2"); // and watching again
    assertThat(processed(info.watchId() + ".2")).contains("deploy.web");
  }

  @Test
  void stoppingDuringARunCancelsItAndItsEndComesBeforeWatchStopped() throws Exception {
    Path root = project();
    WatchInfo info = watch(root, List.of("slow"));
    awaitRun(info.watchId() + ".1");
    save(root.resolve("slow/main.txt"), "a change");
    awaitProcessing(info.watchId() + ".2");

    watches.stop(info.watchId());
    await(type(EventPayload.WatchStopped.class));

    Recorded finished = await(finished(info.watchId() + ".2"));
    assertThat(finished.payload(EventPayload.RunFinished.class).result()).isEqualTo("cancelled");
    List<Recorded> all = events(e -> true);
    assertThat(all.indexOf(finished))
        .isLessThan(all.indexOf(await(type(EventPayload.WatchStopped.class))));
  }

  @Test
  void buildWatchRebuildsOnlyWhatChanged() throws Exception {
    Path root = project();
    WatchInfo info = watch(root, "build", List.of(), 200);
    awaitRun(info.watchId() + ".1");
    save(root.resolve("web/main.txt"), "a change");
    awaitRun(info.watchId() + ".2");
    assertThat(processed(info.watchId() + ".2")).containsExactly("build.web");
    assertThat(
            events(type(EventPayload.WatchTriggered.class))
                .get(0)
                .payload(EventPayload.WatchTriggered.class)
                .actions())
        .isEqualTo(List.of("build.web"));
  }

  @Test
  void stoppingEndsTheWatchAndItsStream() throws Exception {
    Path root = project();
    WatchInfo info = watch(root, List.of("api"));
    awaitRun(info.watchId() + ".1");
    assertThat(watches.stop(info.watchId())).isTrue();
    await(type(EventPayload.WatchStopped.class));
    save(root.resolve("api/main.txt"), "after the stop");
    Thread.sleep(800);
    assertThat(events(type(EventPayload.RunStarted.class))).hasSize(1);
    assertThat(watches.get(info.watchId())).isEmpty();
  }
}
