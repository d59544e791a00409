package dev.grove.actions.kube.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.grove.api.value.ValueTrees;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Grove's strategic merge patch against kubectl's own ({@code kubectl patch --local --type
 * strategic}, no cluster needed) on the corpus in {@code src/test/resources/strategic-merge/}: each
 * file holds the object, then {@code ---} and the patch; a first line {@code # expect: error} means
 * both must refuse the patch.
 *
 * <p>Both sides get the same input: the YAML is parsed once (YAML 1.2) and handed to kubectl as
 * JSON, so kubectl's YAML 1.1 reading ({@code yes} as a boolean) cannot make a difference. The
 * results are compared as structures, key order aside (kubectl prints keys sorted) and nothing else
 * normalised: kubectl adds nothing to a {@code --local} object.
 *
 * <p>kubectl is installed on the project's machines, so its absence fails the test.
 */
class StrategicMergePatchKubectlIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String EXPECT_ERROR = "# expect: error";

  @TempDir Path tmp;

  private record Case(
      String name, Map<String, Object> object, Map<String, Object> patch, boolean expectError) {}

  private record Run(int exitCode, String stdout, String stderr) {}

  @TestFactory
  Stream<DynamicTest> groveAgreesWithKubectl() throws Exception {
    String kubectl = kubectlOnPath();
    List<Case> cases = corpus();
    assertThat(cases).as("corpus cases").hasSizeGreaterThanOrEqualTo(30);

    // Two at a time: each run is a ~0.1 s process and the machine has two cores.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Run> runs = new ArrayList<>();
    try {
      List<Future<Run>> futures = new ArrayList<>();
      for (Case c : cases) {
        futures.add(pool.submit(() -> kubectlPatch(kubectl, c)));
      }
      for (Future<Run> f : futures) {
        runs.add(f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Run run = runs.get(i);
      tests.add(DynamicTest.dynamicTest(c.name(), () -> compare(c, run)));
    }
    return tests.stream();
  }

  private static void compare(Case c, Run kubectl) throws Exception {
    if (c.expectError()) {
      assertThat(kubectl.exitCode())
          .as("kubectl should refuse %s, but printed %s", c.name(), kubectl.stdout())
          .isNotZero();
      assertThatThrownBy(() -> StrategicMergePatch.apply(c.object(), c.patch()))
          .as("kubectl refused %s with %s", c.name(), kubectl.stderr().strip())
          .isInstanceOf(PatchException.class);
      return;
    }
    assertThat(kubectl.exitCode())
        .as("kubectl failed on %s: %s", c.name(), kubectl.stderr().strip())
        .isZero();
    Object expected = canonical(JSON.readValue(kubectl.stdout(), Object.class));
    Object actual = canonical(StrategicMergePatch.apply(c.object(), c.patch()));
    assertThat(actual).as(c.name()).isEqualTo(expected);
  }

  private Run kubectlPatch(String kubectl, Case c) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(tmp.resolve(c.name()));
    Path object = dir.resolve("object.json");
    Files.writeString(object, JSON.writeValueAsString(c.object()));
    Path out = dir.resolve("out.json");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                kubectl,
                "patch",
                "--local",
                "-f",
                object.toString(),
                "--type",
                "strategic",
                "-p",
                JSON.writeValueAsString(c.patch()),
                "-o",
                "json",
                "--cache-dir",
                tmp.resolve("kube-cache").toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    // Google's kubectl dispatcher writes gcloud's settings unless pointed elsewhere; --local needs
    // no cluster, so no kubeconfig either.
    pb.environment().put("CLOUDSDK_CONFIG", tmp.resolve("gcloud").toString());
    pb.environment().put("KUBECONFIG", "/dev/null");
    Process process = pb.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("kubectl patch took over 60 s on " + c.name());
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String kubectlOnPath() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail(
        "kubectl is not on PATH ("
            + path
            + "). This test compares Grove's strategic merge patch with kubectl 1.32's, which is"
            + " part of this machine's toolset: install kubectl or put it on PATH.");
  }

  private static List<Case> corpus() throws IOException, URISyntaxException {
    Path dir = Path.of(StrategicMergePatchKubectlIT.class.getResource("/strategic-merge").toURI());
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(file);
        List<Object> docs = Yaml.documents(text);
        assertThat(docs).as("%s: the object, then --- and the patch", file).hasSize(2);
        String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        cases.add(
            new Case(
                name,
                ValueTrees.map(docs.get(0)),
                ValueTrees.map(docs.get(1)),
                text.startsWith(EXPECT_ERROR)));
      }
    }
    return cases;
  }

  /** Maps sorted, integral numbers as Long, so that only values and list order count. */
  private static Object canonical(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
      return sorted;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(StrategicMergePatchKubectlIT::canonical).toList();
    }
    if (value instanceof Number n && !(n instanceof Double || n instanceof Float)) {
      return n.longValue();
    }
    if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return d.longValue();
    }
    return value;
  }
}
