package dev.grove.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.http.DaemonInfo;
import dev.grove.api.http.Routes;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12.2: project loads that take long (held here by a latch) occupy the project pool; health,
 * the runs list, cancel, the watches and shutdown still answer at once.
 */
class DaemonBusyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The budget is 100 ms; the bound leaves room for a loaded 2-core test machine. */
  private static final Duration ANSWER_BOUND = Duration.ofMillis(750);

  private static final int SLOW_LOADS = 8;

  @TempDir Path home;
  private final FakeProjectService projects = new FakeProjectService();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch loading = new CountDownLatch(4);
  private final CountDownLatch exited = new CountDownLatch(1);
  private final HttpClient http = TestDaemons.http();
  private final List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
  private Daemon daemon;
  private DaemonInfo info;

  @BeforeEach
  void startAndFillTheProjectPool() throws Exception {
    daemon = TestDaemons.start(home, projects, exited::countDown);
    info = TestDaemons.info(home);
    projects.answer(
        request -> {
          loading.countDown();
          try {
            if (!release.await(30, TimeUnit.SECONDS)) {
              throw new IllegalStateException("the test never released the load");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new ProjectSummary("shop", "dev", List.of(), List.of());
        });
    String body =
        JSON.writeValueAsString(new ProjectRequest("/p", "/p", "dev", Map.of(), Map.of()));
    for (int i = 0; i < SLOW_LOADS; i++) {
      slow.add(http.sendAsync(post(Routes.VALIDATE, body), HttpResponse.BodyHandlers.ofString()));
    }
    assertThat(loading.await(10, TimeUnit.SECONDS)).as("the project pool is full").isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    TestDaemons.stop(daemon);
  }

  @Test
  void answersHealthRunsWatchesAndCancelWhileLoadsFillTheProjectPool() throws Exception {
    assertAnswersInTime(get(Routes.HEALTH), 200);
    assertAnswersInTime(get(Routes.RUNS), 200);
    assertAnswersInTime(get(Routes.WATCHES), 200);
    assertAnswersInTime(get(Routes.run("run-nope")), 404);
    assertAnswersInTime(post(Routes.run("run-nope") + "/cancel", ""), 404);
    assertAnswersInTime(post(Routes.watch("watch-nope") + "/stop", ""), 404);
    // the loads are still held: what answered did not wait for them
    assertThat(slow).noneMatch(CompletableFuture::isDone);
  }

  @Test
  void stopsOnRequestWhileLoadsFillTheProjectPool() throws Exception {
    assertAnswersInTime(post(Routes.SHUTDOWN, ""), 200);
    assertThat(exited.await(5, TimeUnit.SECONDS)).as("the daemon exits").isTrue();
    assertThat(home.resolve("daemon.json")).doesNotExist();
  }

  private void assertAnswersInTime(HttpRequest request, int status) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // the figures BENCHMARKS.md quotes
    System.out.printf(
        "DaemonBusyIT: %s %s answered in %d ms%n",
        request.method(), request.uri().getPath(), took.toMillis());
    assertThat(response.statusCode())
        .as("%s %s", request.method(), request.uri())
        .isEqualTo(status);
    assertThat(took)
        .as("%s %s answered in", request.method(), request.uri())
        .isLessThan(ANSWER_BOUND);
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + info.token())
        .GET()
        .build();
  }

  private HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + info.token())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + info.port() + path);
  }
}
