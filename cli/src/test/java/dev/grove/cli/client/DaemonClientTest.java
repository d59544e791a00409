package dev.grove.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grove.api.action.ActionSummary;
import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.error.Location;
import dev.grove.api.error.Problem;
import dev.grove.api.http.Routes;
import dev.grove.api.project.ProjectSummary;
import dev.grove.cli.CliRun;
import dev.grove.cli.FakeDaemon;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a daemon emulated by the JDK's HTTP server. */
class DaemonClientTest {
  private static final Problem KIND =
      new Problem(
          "UNKNOWN_KIND",
          "unknown kind 'Deplo'",
          "Did you mean 'Deploy'?",
          new Location("api/garden.yml", 3, 7, null));

  @TempDir Path tmp;
  private Path home;
  private Path project;
  private FakeDaemon daemon;

  @BeforeEach
  void setUp() throws Exception {
    home = tmp.resolve("grove-home");
    project = Files.createDirectories(tmp.resolve("shop"));
    Files.writeString(project.resolve("project.garden.yml"), "kind: Project\n");
    daemon = new FakeDaemon("b1");
    daemon.advertiseIn(home, FakeDaemon.TOKEN);
  }

  @AfterEach
  void tearDown() {
    daemon.close();
  }

  @Test
  void validatesAndSummarisesOnStdoutWithWarningsOnStderr() {
    ActionSummary api =
        new ActionSummary("build.api", "Build", "container", "api", "v-1", List.of(), false);
    Problem warning = new Problem("W", "image has no tag", "Add a tag.", null);
    daemon.answer(
        Routes.VALIDATE, 200, new ProjectSummary("shop", "dev", List.of(api), List.of(warning)));

    CliRun run = CliRun.run(project, home, null, "validate");

    assertThat(run.exitCode).isEqualTo(0);
    assertThat(run.out).isEqualTo("✔ project shop (env dev): 1 action OK\n");
    assertThat(run.err).contains("warning: image has no tag", "→ Add a tag.");
  }

  @Test
  void printsConfigProblemsWithLocationsAndExits2() {
    daemon.answer(
        Routes.VALIDATE,
        422,
        new ApiError(ErrorCodes.CONFIG_INVALID, "unknown kind", null, null, List.of(KIND)));

    CliRun run = CliRun.run(project, home, null, "validate");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.out).isEmpty();
    assertThat(run.err)
        .contains("api/garden.yml:3:7: error: unknown kind 'Deplo'\n  → Did you mean 'Deploy'?");
  }

  @Test
  void printsTheApiErrorAsJsonOnStdoutWithOutputJson() throws Exception {
    daemon.answer(
        Routes.VALIDATE,
        422,
        new ApiError(ErrorCodes.CONFIG_INVALID, "unknown kind", null, null, List.of(KIND)));

    CliRun run = CliRun.run(project, home, null, "validate", "--output", "json");

    assertThat(run.exitCode).isEqualTo(2);
    JsonNode error = dev.grove.cli.TestJson.MAPPER.readTree(run.out);
    assertThat(error.get("code").asText()).isEqualTo(ErrorCodes.CONFIG_INVALID);
    assertThat(error.get("problems").get(0).get("location").get("line").asInt()).isEqualTo(3);
  }

  @Test
  void exits3WhenTheDaemonRejectsTheToken() throws Exception {
    daemon.advertiseIn(home, "stale-token");

    CliRun run = CliRun.run(project, home, null, "validate");

    assertThat(run.exitCode).isEqualTo(3);
    assertThat(run.err).contains("rejected the token");
  }

  @Test
  void exits3QuicklyWhenNoDaemonAnswersAndNoneCanBeStarted() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Files.writeString(
        home.resolve("daemon.json"),
        "{\"port\":" + closedPort + ",\"pid\":1,\"token\":\"t\",\"buildId\":\"b\"}");

    long started = System.nanoTime();
    CliRun run = CliRun.run(project, home, null, "validate");

    assertThat(run.exitCode).isEqualTo(3);
    assertThat(run.err).contains("no Grove daemon is running").contains("GROVE_DAEMON_CLASSPATH");
    assertThat(System.nanoTime() - started).isLessThan(3_000_000_000L);
  }

  @Test
  void exits1AndNamesTheLogOnAnInternalDaemonError() {
    daemon.answer(
        Routes.GRAPH,
        500,
        ApiError.of(ErrorCodes.INTERNAL, "a bug in Grove", "See /x/daemon.log."));

    CliRun run = CliRun.run(project, home, null, "graph");

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.err).contains("a bug in Grove", "/x/daemon.log");
  }

  @Test
  void reportsDaemonStatus() {
    CliRun run = CliRun.run(project, home, null, "daemon", "status");
    assertThat(run.exitCode).isEqualTo(0);
    assertThat(run.out)
        .contains("running on 127.0.0.1:" + daemon.port())
        .contains("up 1m 5s")
        .contains("build b1");
  }

  @Test
  void reportsNotRunningWithExit3() throws Exception {
    Files.delete(home.resolve("daemon.json"));
    CliRun run = CliRun.run(project, home, null, "daemon", "status");
    assertThat(run.exitCode).isEqualTo(3);
    assertThat(run.out).contains("not running");
  }

  @Test
  void aProgramThatIsNotGroveOnTheDaemonsPortIsNotTrusted() {
    // Another program took the port of a daemon that died: its answers are not Grove's JSON.
    daemon.answer(Routes.VALIDATE, 200, "<html>hello</html>");
    DaemonClient client = new DaemonClient(new GroveHome(home).readInfo().orElseThrow());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                client.validate(
                    new dev.grove.api.project.ProjectRequest(
                        null, project.toString(), null, java.util.Map.of(), java.util.Map.of())))
        .isInstanceOfSatisfying(
            DaemonUnreachableException.class,
            e -> {
              assertThat(e.notConnected()).as("safe to start a daemon and send again").isTrue();
              assertThat(e.getMessage()).contains("does not answer as a Grove daemon");
            });
  }

  @Test
  void aDaemonThatDoesNotAnswerInTimeIsCalledBusyNotAbsent() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      DaemonClient client =
          new DaemonClient(
              new dev.grove.api.http.DaemonInfo(
                  silent.getLocalPort(), 4242, FakeDaemon.TOKEN, "b1"));

      DaemonUnreachableException failure =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              DaemonUnreachableException.class, client::runs);

      assertThat(failure).isNotNull();
      assertThat(failure.getMessage())
          .contains("pid 4242")
          .contains("busy")
          .doesNotContain("no Grove daemon answers");
      assertThat(failure.suggestion()).doesNotContain("grove daemon start");
    }
  }

  /**
   * A daemon asked to stop closes its server at once but may take seconds to exit (its class
   * archive): a run's stream that ends while the process still lives, with no daemon answering on
   * its port any more, is the daemon going away, not a lost connection with the run going on.
   */
  @Test
  void aStreamEndedByADaemonThatStoppedAnsweringIsTheDaemonGoingAway() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread stopping =
        new Thread(
            () -> {
              try (server;
                  java.net.Socket socket = server.accept()) {
                var in =
                    new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                for (String header = in.readLine();
                    header != null && !header.isEmpty();
                    header = in.readLine()) {
                  // the request's headers
                }
                socket
                    .getOutputStream()
                    .write(
                        ("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                                + "Connection: close\r\n\r\n"
                                + "{\"seq\":1,\"type\":\"runStarted\",\"runId\":\"run-1\"}\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
              } catch (java.io.IOException e) {
                // the test fails on what the client saw
              }
            });
    stopping.start();
    long alive = ProcessHandle.current().pid(); // the daemon's process has not exited yet
    DaemonClient client =
        new DaemonClient(
            new dev.grove.api.http.DaemonInfo(
                server.getLocalPort(), alive, FakeDaemon.TOKEN, "b1"));

    DaemonUnreachableException failure =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            DaemonUnreachableException.class, () -> client.events("run-1", 0, line -> true));
    stopping.join(10_000);

    assertThat(failure).as("the client saw the stream end").isNotNull();
    assertThat(failure.getMessage()).contains("went away").contains("run-1");
    assertThat(failure.suggestion()).doesNotContain("goes on");
  }
}
