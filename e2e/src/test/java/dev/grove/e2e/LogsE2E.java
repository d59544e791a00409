package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grove logs} across real processes: the CLI, the daemon and the sandbox, whose simulated
 * kubelet writes a few lines per container. A {@code container} Deploy (pods labelled by Grove) and
 * a {@code kubernetes} Deploy (pods found through their Deployment's selector).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogsE2E {
  private static final Path FIXTURE = Path.of("src/test/resources/projects/logs").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "logs-dev";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static GroveProcess grove;
  private static KubernetesClient cluster;
  private static Path project;
  private static final List<Process> followers = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    Path home = Files.createDirectories(dir.resolve("grove-home"));
    grove = new GroveProcess(home, dir);
    cluster = grove.sandboxUp(GroveProcess.freePort());
    project = GroveProcess.copyTree(FIXTURE, dir.resolve("logs"));
    GroveProcess.Result deploy = grove("deploy", "api", "worker");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();
  }

  @AfterAll
  static void tearDown() throws Exception {
    followers.forEach(Process::destroyForcibly);
    if (cluster != null) {
      cluster.close();
    }
    if (grove != null) {
      grove.stopDaemonAndSandbox();
    }
  }

  private static GroveProcess.Result grove(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", project.toString()));
    return grove.run(Map.of("NO_COLOR", "1"), all.toArray(String[]::new));
  }

  private static Process follow(String name, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("logs"));
    all.addAll(List.of(args));
    all.addAll(List.of("-f", "--root", project.toString()));
    Process process =
        grove.start(
            dir.resolve(name + ".out"), dir.resolve(name + ".err"), all.toArray(String[]::new));
    followers.add(process);
    return process;
  }

  private static String read(String file) throws IOException {
    Path path = dir.resolve(file);
    return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
  }

  private static List<JsonNode> jsonl(String file) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : read(file).lines().toList()) {
      if (line.endsWith("}")) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
  }

  private static List<String> podNames(String label, String value) {
    return cluster.pods().inNamespace(NS).withLabel(label, value).list().getItems().stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .map(Pod::getMetadata)
        .map(meta -> meta.getName())
        .toList();
  }

  /** How often the daemon logged that a client left and no container log read stayed open. */
  private static long readsClosed() throws IOException {
    Path log = dir.resolve("grove-home/daemon.log");
    return Files.exists(log)
        ? Files.readString(log).lines().filter(l -> l.contains("log reads open: 0")).count()
        : 0;
  }

  private static boolean hasLineOf(List<JsonNode> lines, Predicate<String> pod, String text) {
    return lines.stream()
        .anyMatch(
            line ->
                pod.test(line.path("pod").asText()) && line.path("line").asText().contains(text));
  }

  private static void assertNoDuplicates(List<JsonNode> lines) {
    Set<String> seen = new HashSet<>();
    for (JsonNode line : lines) {
      assertThat(seen.add(line.toString())).as("sent once: " + line).isTrue();
    }
  }

  @Test
  @Order(1)
  void logsPrintsEveryDeploysLinesTaggedWithActionPodAndContainerAndExits() throws Exception {
    GroveProcess.Result logs = grove("logs");
    assertThat(logs.exitCode()).as(logs.out() + logs.err()).isZero();
    String api = podNames("grove.dev/action", "deploy.api").get(0);
    String worker = podNames("app", "worker").get(0);
    assertThat(logs.out())
        .contains("deploy.api " + api + " api | [grove-sandbox] started container api")
        .contains("deploy.worker " + worker + " worker | [grove-sandbox] started container worker")
        .doesNotContain("\u001b[");
    assertThat(logs.err()).contains("deploy.idle is not deployed").contains("grove deploy idle");

    GroveProcess.Result jsonl = grove("logs", "api", "worker", "--output", "jsonl");
    assertThat(jsonl.exitCode()).as(jsonl.err()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : jsonl.out().lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSizeGreaterThanOrEqualTo(6);
    String previous = "";
    for (JsonNode line : lines) {
      assertThat(line.properties().stream().map(Map.Entry::getKey).toList())
          .containsExactly("time", "action", "pod", "container", "line");
      String time = line.path("time").asText();
      assertThat(time).as("time order").isGreaterThanOrEqualTo(previous);
      previous = time;
    }
    assertThat(lines.stream().map(l -> l.path("action").asText()).distinct())
        .containsExactlyInAnyOrder("deploy.api", "deploy.worker");

    GroveProcess.Result tail = grove("logs", "api", "--tail", "1", "--output", "jsonl");
    assertThat(tail.out().lines().count()).isEqualTo(1);
    assertThat(tail.out()).contains("this is all the output there is");
  }

  @Test
  @Order(2)
  void badNamesAndUndeployedDeploysAreClearErrors() throws Exception {
    GroveProcess.Result unknown = grove("logs", "apii");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("apii").contains("Did you mean `api`?");

    GroveProcess.Result idle = grove("logs", "idle", "-f");
    assertThat(idle.exitCode()).isEqualTo(1);
    assertThat(idle.err())
        .contains("deploy.idle was never deployed to namespace " + NS)
        .contains("grove deploy idle")
        .doesNotContain("Exception");

    GroveProcess.Result since = grove("logs", "--since", "5x");
    assertThat(since.exitCode()).isEqualTo(2);
    assertThat(since.err()).contains("--since '5x'");
  }

  @Test
  @Order(2)
  void anUnreachableClusterIsNamedWithTheActionAndWhatToDo() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path elsewhere = GroveProcess.copyTree(FIXTURE, dir.resolve("elsewhere"));
    Files.writeString(
        elsewhere.resolve("kubeconfig"),
        "apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:"
            + closed
            + "\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: gone\n  context:\n"
            + "    cluster: gone\n    user: u\ncurrent-context: gone\n");
    Path projectFile = elsewhere.resolve("project.garden.yml");
    Files.writeString(
        projectFile,
        Files.readString(projectFile)
            .replace("context: grove-sandbox", "context: gone\n    kubeconfig: kubeconfig"));

    GroveProcess.Result logs =
        grove.run(Map.of("NO_COLOR", "1"), "logs", "api", "--root", elsewhere.toString());
    assertThat(logs.exitCode()).as(logs.out() + logs.err()).isEqualTo(1);
    assertThat(logs.err())
        .contains("deploy.api")
        .contains("could not be reached")
        .contains("`gone`")
        .doesNotContain("Exception");
  }

  @Test
  @Order(3)
  void followingARedeployShowsTheNewPodAndDropsTheOldOneWithoutRepeatingLines() throws Exception {
    String old = podNames("grove.dev/action", "deploy.api").get(0);
    Process follower = follow("redeploy", "api", "--output", "jsonl");
    await(
        "the running pod's lines",
        () -> hasLineOf(jsonl("redeploy.out"), old::equals, "started container api"));

    GroveProcess.Result redeploy = grove("deploy", "api", "--var", "tag=1.37");
    assertThat(redeploy.exitCode()).as(redeploy.out() + redeploy.err()).isZero();
    await(
        "the new pod's lines",
        () ->
            hasLineOf(jsonl("redeploy.out"), pod -> !pod.equals(old), "busybox:1.37")
                && hasLineOf(jsonl("redeploy.out"), pod -> !pod.equals(old), "started container"));
    await(
        "the old pod dropping out", () -> read("redeploy.err").contains("pod " + old + " is gone"));

    assertThat(follower.isAlive()).as(read("redeploy.err")).isTrue();
    List<JsonNode> lines = jsonl("redeploy.out");
    assertNoDuplicates(lines);
    assertThat(lines.stream().filter(l -> l.path("pod").asText().equals(old)))
        .as("the old pod's lines, once each")
        .hasSize(3);
    follower.destroy();
    assertThat(grove.run("daemon", "status").exitCode()).as("the daemon survives").isZero();
  }

  @Test
  @Order(4)
  void twoFollowersOfTheSameDeployBothGetEveryLine() throws Exception {
    String old = podNames("app", "worker").get(0);
    Process first = follow("fan-1", "worker", "--output", "jsonl");
    Process second = follow("fan-2", "worker", "--output", "jsonl");
    for (String name : List.of("fan-1", "fan-2")) {
      await(name + " has the running pod's lines", () -> jsonl(name + ".out").size() >= 3);
    }

    GroveProcess.Result redeploy = grove("deploy", "worker", "--var", "mode=second");
    assertThat(redeploy.exitCode()).as(redeploy.out() + redeploy.err()).isZero();
    for (String name : List.of("fan-1", "fan-2")) {
      await(
          name + " has the new pod's lines",
          () -> hasLineOf(jsonl(name + ".out"), pod -> !pod.equals(old), "started container"));
    }
    long before = readsClosed();
    first.destroy();
    second.destroy();
    await("the daemon closing the reads of both clients' pods", () -> readsClosed() > before);
    assertThat(grove.run("daemon", "status").exitCode()).as("the daemon survives").isZero();
    List<JsonNode> one = jsonl("fan-1.out");
    List<JsonNode> two = jsonl("fan-2.out");
    assertNoDuplicates(one);
    assertNoDuplicates(two);
    Set<String> newPods = new HashSet<>();
    one.stream().map(l -> l.path("pod").asText()).filter(p -> !p.equals(old)).forEach(newPods::add);
    for (String pod : newPods) {
      assertThat(
              two.stream().filter(l -> l.path("pod").asText().equals(pod)).map(JsonNode::toString))
          .as("both clients got the same lines of " + pod)
          .containsExactlyElementsOf(
              one.stream()
                  .filter(l -> l.path("pod").asText().equals(pod))
                  .map(JsonNode::toString)
                  .toList());
    }
  }

  @Test
  @Order(5)
  void followersOfADaemonThatStopsSaySoAndExitThree() throws Exception {
    Process first = follow("stop-1", "worker", "--output", "jsonl");
    Process second = follow("stop-2", "api", "--output", "jsonl");
    for (String name : List.of("stop-1", "stop-2")) {
      await(name + " streaming", () -> !jsonl(name + ".out").isEmpty());
    }

    assertThat(grove.run("daemon", "stop").exitCode()).isZero();

    for (Process follower : List.of(first, second)) {
      assertThat(follower.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(follower.exitValue()).as("a daemon gone is exit 3").isEqualTo(3);
    }
    assertThat(read("stop-1.err")).contains("daemon");
    assertThat(read("stop-2.err")).contains("daemon");
  }

  @Test
  @Order(6)
  void logsSaysSoWhenItStartsTheSandbox() throws Exception {
    assertThat(grove.run("sandbox", "down").exitCode()).isZero();

    GroveProcess.Result logs = grove("logs");

    assertThat(logs.err()).contains("The sandbox is not running: starting it");
    assertThat(logs.exitCode()).as(logs.out() + logs.err()).isEqualTo(1); // a fresh cluster
  }
}
