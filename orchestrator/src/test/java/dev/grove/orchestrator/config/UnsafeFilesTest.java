package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.grove.api.error.Problem;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.error.ConfigException;
import dev.grove.orchestrator.files.ScanResult;
import dev.grove.orchestrator.template.TemplateResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12.3: config files are read safely — never blocking, bounded, problems that say why. */
class UnsafeFilesTest {
  private static final Path WRITE_ONLY = Path.of("/proc/sys/vm/compact_memory");

  @TempDir Path dir;

  private Path project() {
    return Fixtures.copy("unsafe-files", dir);
  }

  /**
   * The problems of a load, which must fail, and never hang (a FIFO must not block it): 2 s on a
   * quiet machine for the largest, so 30 s only says "hung" even on a loaded one.
   */
  private static List<Problem> problems(Path root) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          try {
            Fixtures.load(root, null, Map.of(), Map.of());
          } catch (ConfigException e) {
            return e.problems();
          }
          return fail("expected the load of " + root + " to fail");
        });
  }

  private static Problem only(List<Problem> problems, String file) {
    List<Problem> matching =
        problems.stream().filter(p -> file.equals(p.location().file())).toList();
    assertThat(matching).as("problems about %s in %s", file, problems).hasSize(1);
    return matching.get(0);
  }

  private static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).as("mkfifo ends").isTrue();
    assertThat(mkfifo.exitValue()).isZero();
  }

  @Test
  void aConfigLinkToAFifoIsAProblemNotAHang() throws Exception {
    Path root = project();
    mkfifo(dir.resolve("fifo"));
    Files.createSymbolicLink(root.resolve("api/pipe.garden.yml"), dir.resolve("fifo"));
    Problem problem = only(problems(root), "api/pipe.garden.yml");
    assertThat(problem.message())
        .isEqualTo(
            "Cannot read api/pipe.garden.yml: it is a FIFO (named pipe), not a regular file");
  }

  @Test
  void aFifoNamedLikeAConfigFileIsAProblem() throws Exception {
    Path root = project();
    mkfifo(root.resolve("api/direct.garden.yml"));
    Problem problem = only(problems(root), "api/direct.garden.yml");
    assertThat(problem.message()).contains("FIFO (named pipe), not a regular file");
  }

  @Test
  void aConfigLinkToDevZeroIsAProblemNotAnEndlessRead() throws Exception {
    Path root = project();
    Files.createSymbolicLink(root.resolve("api/zero.garden.yml"), Path.of("/dev/zero"));
    Problem problem = only(problems(root), "api/zero.garden.yml");
    assertThat(problem.message()).contains("a character device, not a regular file");
    assertThat(problem.suggestion()).contains("regular file");
  }

  @Test
  void aConfigFileOverTheCapIsAProblemNamingTheCap() throws Exception {
    Path root = project();
    byte[] comment =
        "# padding padding padding padding padding padding padding padding\n".getBytes();
    try (var out = Files.newOutputStream(root.resolve("api/big.garden.yml"))) {
      for (long written = 0; written <= 10L << 20; written += comment.length) {
        out.write(comment);
      }
    }
    Problem problem = only(problems(root), "api/big.garden.yml");
    assertThat(problem.message()).contains("larger than 10 MiB");
  }

  @Test
  void aFolderNamedGardenYmlIsAProblem() throws Exception {
    Path root = project();
    Files.createDirectories(root.resolve("web/garden.yml"));
    Problem problem = only(problems(root), "web/garden.yml");
    assertThat(problem.message()).contains("web/garden.yml is a folder, not a config file");
    assertThat(problem.location().line()).isZero();
  }

  @Test
  void aFolderNamedProjectGardenYmlIsAProblemNotNoProject() throws Exception {
    Files.createDirectories(dir.resolve("project.garden.yml"));
    Problem problem = only(problems(dir), "project.garden.yml");
    assertThat(problem.message())
        .isEqualTo("Cannot read project.garden.yml: it is a folder, not a file");
  }

  @Test
  void anUnreadableConfigFileSaysPermissionDenied() throws Exception {
    // procfs refuses to read this write-only file even to root: a real EACCES for anyone.
    Path root = project();
    Files.createSymbolicLink(root.resolve("api/locked.garden.yml"), WRITE_ONLY);
    Problem problem = only(problems(root), "api/locked.garden.yml");
    assertThat(problem.message()).isEqualTo("Cannot read api/locked.garden.yml: permission denied");
  }

  @Test
  void anUnreadableProjectFileSaysPermissionDenied() throws Exception {
    Files.createSymbolicLink(dir.resolve("project.garden.yml"), WRITE_ONLY);
    Problem problem = only(problems(dir), "project.garden.yml");
    assertThat(problem.message()).isEqualTo("Cannot read project.garden.yml: permission denied");
  }

  /**
   * A folder the scan could not read is a problem, not silently skipped. Root reads every folder,
   * so the scan is given the entry a non-root scan lists for it (FileScannerTest shows the scan
   * side); the loader's handling is the same code either way.
   */
  @Test
  void anUnreadableFolderSaysPermissionDenied() throws Exception {
    Path root = project();
    ProjectLoader loader = new ProjectLoader(root, new TemplateResolver(), Fixtures.types());
    ScanResult walked = loader.scan(".gardenignore");
    List<ScanResult.NonFile> nonFiles = new ArrayList<>(walked.nonFiles());
    nonFiles.add(
        new ScanResult.NonFile("api/secrets", ScanResult.Kind.UNREADABLE, "permission denied"));
    ScanResult scan = ScanResult.of(walked.entries(), nonFiles);
    try {
      loader.load(new LoadOptions(null, Map.of(), Map.of()), scan, ".gardenignore");
      fail("expected the load to fail");
    } catch (ConfigException e) {
      Problem problem = only(e.problems(), "api/secrets");
      assertThat(problem.message())
          .isEqualTo("Cannot read the folder api/secrets: permission denied");
      assertThat(problem.suggestion()).contains(".gardenignore");
    }
  }

  @Test
  void anUnreadableIgnoreFileSaysPermissionDenied() throws Exception {
    Path root = project();
    Files.createSymbolicLink(root.resolve("api/.gardenignore"), WRITE_ONLY);
    Problem problem = only(problems(root), "api/.gardenignore");
    assertThat(problem.message()).isEqualTo("Cannot read api/.gardenignore: permission denied");
  }

  @Test
  void anEncodingErrorNamesTheFileAndLine() throws Exception {
    Path root = project();
    Files.write(
        root.resolve("api/latin1.garden.yml"),
        "kind: Build\ntype: exec\nname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Problem problem = only(problems(root), "api/latin1.garden.yml");
    assertThat(problem.message()).contains("not valid UTF-8");
    assertThat(problem.location().line()).isEqualTo(3);
    assertThat(problem.location().column()).isEqualTo(10);
  }

  @Test
  void anAliasBombNamesTheFile() throws Exception {
    Path root = project();
    // 25 levels of two aliases each: 50 aliases (snakeyaml's default limit) expanding to 2^25
    // values when copied out naively.
    StringBuilder yaml = new StringBuilder("kind: Build\ntype: exec\nname: bomb\nvariables:\n");
    yaml.append("  l0: &l0 [x, x]\n");
    for (int i = 1; i < 25; i++) {
      yaml.append("  l").append(i).append(": &l").append(i);
      yaml.append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
    }
    Files.writeString(root.resolve("api/bomb.garden.yml"), yaml);
    Problem problem = only(problems(root), "api/bomb.garden.yml");
    assertThat(problem.message()).contains("api/bomb.garden.yml").contains("alias");
  }

  @Test
  void tooDeepNestingNamesTheFileAndLine() throws Exception {
    Path root = project();
    String yaml =
        "kind: Build\ntype: exec\nname: deep\nvariables:\n  x: "
            + "[".repeat(200)
            + "]".repeat(200)
            + "\n";
    Files.writeString(root.resolve("api/deep.garden.yml"), yaml);
    Problem problem = only(problems(root), "api/deep.garden.yml");
    assertThat(problem.message()).contains("api/deep.garden.yml").contains("nest");
    assertThat(problem.location().line()).isEqualTo(5);
  }

  @Test
  void aVarfileThatIsAFifoIsAProblem() throws Exception {
    Path root = project();
    Files.writeString(
        root.resolve("api/garden.yml"),
        "kind: Build\ntype: exec\nname: api\nvarfiles: [api.env]\nspec:\n  command: [echo]\n");
    mkfifo(root.resolve("api/api.env"));
    Problem problem = only(problems(root), "api/garden.yml");
    assertThat(problem.message()).contains("FIFO");
  }

  @Test
  void aFifoInTheGitFolderDoesNotBlockALoad() throws Exception {
    Path root = project();
    Files.createDirectories(root.resolve(".git"));
    mkfifo(root.resolve(".git/HEAD"));
    LoadedProject loaded =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> Fixtures.load(root, null, Map.of(), Map.of()));
    assertThat(loaded.actions()).hasSize(1);
  }

  /** Issue 12.4 at the loader: a template over its cap is a config error with file and line. */
  @Test
  void aTemplateBombIsAConfigErrorWithFileAndLine() throws Exception {
    Path root = project();
    String x = "a".repeat(1000);
    Files.writeString(
        root.resolve("api/bomb.garden.yml"),
        "kind: Build\ntype: exec\nname: bomb\nspec:\n  command:\n    - echo\n"
            + "    - ${replace(replace(replace(\"aaaaaaaaaa\",\"a\",\""
            + x
            + "\"),\"a\",\""
            + x
            + "\"),\"a\",\""
            + x
            + "\")}\n");
    Problem problem = only(problems(root), "api/bomb.garden.yml");
    assertThat(problem.location().line()).isEqualTo(7);
    assertThat(problem.message()).contains("replace").contains("1 MiB");
  }

  /**
   * Each action within its own budget, but together past the load's: a project cannot fill the
   * daemon by spreading its templates over many actions.
   */
  @Test
  void theTemplatesOfOneLoadBuildAtMostTheLoadsBudget() throws Exception {
    Path root = project();
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      yaml.append("---\nkind: Build\ntype: exec\nname: wide")
          .append(i)
          .append("\nvariables:\n  big: ")
          .append("b".repeat(600_000))
          .append("\nspec:\n  command:\n    $forEach: ${range(1, 50)}\n")
          .append("    $return: ${var.big}${item.value}\n");
    }
    Files.writeString(root.resolve("api/wide.garden.yml"), yaml);
    List<Problem> problems = problems(root);
    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.location().file()).isEqualTo("api/wide.garden.yml");
              assertThat(p.message()).contains("64 Mi").contains("limit");
            });
  }
}
