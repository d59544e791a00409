package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.error.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Project {@code sources} cloned from {@code file://} repositories this test makes. */
class RemoteSourcesTest {
  private static final ActionRef BUILD_API = ActionRef.of(ActionKind.BUILD, "api");
  private static final ActionRef DEPLOY_API = ActionRef.of(ActionKind.DEPLOY, "api");

  @TempDir Path dir;
  private Path repo;
  private Path project;

  @BeforeEach
  void repository() throws Exception {
    repo = Files.createDirectories(dir.resolve("lib"));
    git(repo, "init", "-q", "-b", "main");
    Files.createDirectories(repo.resolve("api"));
    Files.writeString(
        repo.resolve("api/garden.yml"),
        "kind: Build\ntype: exec\nname: api\nspec:\n  command: [cat, main.txt]\n");
    Files.writeString(repo.resolve("api/main.txt"), "one\n");
    Files.writeString(
        repo.resolve("project.garden.yml"), "apiVersion: garden.io/v1\nkind: Project\nname: lib\n");
    commit("first");
    git(repo, "tag", "v1");
    project = Files.createDirectories(dir.resolve("shop"));
    Files.writeString(
        project.resolve("deploy.garden.yml"),
        "kind: Deploy\ntype: exec\nname: api\nbuild: api\nspec:\n  deployCommand: [echo, hi]\n");
  }

  private void projectWithSource(String url) throws IOException {
    Files.writeString(
        project.resolve("project.garden.yml"),
        "apiVersion: garden.io/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\n"
            + "variables:\n  ref: main\nsources:\n  - name: lib\n    repositoryUrl: "
            + url
            + "\n");
  }

  private String url(String ref) {
    return repo.toUri().toString().replaceAll("/$", "") + "#" + ref;
  }

  private LoadedProject load() {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(60), () -> Fixtures.load(project, null, Map.of(), Map.of()));
  }

  private List<Problem> problems() {
    return catchThrowableOfType(ConfigException.class, this::load).problems();
  }

  @Test
  void aSourcesConfigsLoadAsPartOfTheProjectWithPathsInItsCloneInGardensLayout() throws Exception {
    projectWithSource(repo.toUri().toString().replaceAll("/$", "") + "#${var.ref}");

    LoadedProject loaded = load();

    Path clone = clone(url("main"));
    assertThat(clone.getFileName().toString()).matches("lib--[0-9a-f]{10}");
    assertThat(clone.resolve("api/main.txt")).hasContent("one");
    assertThat(loaded.actions()).containsKeys(BUILD_API, DEPLOY_API);
    assertThat(loaded.graph().dependencies(DEPLOY_API)).containsExactly(BUILD_API);
    assertThat(project.resolve(loaded.actions().get(BUILD_API).config().sourceDir()))
        .isEqualTo(clone.resolve("api"));
    assertThat(loaded.actions().get(BUILD_API).sources())
        .extracting(dev.grove.orchestrator.files.FileEntry::path)
        .contains(project.relativize(clone.resolve("api/main.txt")).toString());
  }

  @Test
  void theCloneIsPinnedNewCommitsComeOnlyWithANewRef() throws Exception {
    projectWithSource(url("main"));
    String before = load().actions().get(BUILD_API).version();

    Files.writeString(repo.resolve("api/main.txt"), "two\n");
    commit("second");
    LoadedProject pinned = load();
    assertThat(pinned.actions().get(BUILD_API).version()).isEqualTo(before);

    // grove update-remote removes the clone; a warm project then no longer counts as current
    assertThat(pinned.clonesPresent()).isTrue();
    deleteTree(clone(url("main")));
    assertThat(pinned.clonesPresent()).isFalse();
    assertThat(load().actions().get(BUILD_API).version()).isNotEqualTo(before);

    assertThat(clone(url("main")).resolve("api/main.txt")).hasContent("two");

    String head = git(repo, "rev-parse", "HEAD~1").strip();
    projectWithSource(url(head));
    assertThat(load().actions().get(BUILD_API).version()).isNotEqualTo(before);
    assertThat(clone(url(head)).resolve("api/main.txt")).hasContent("one");

    projectWithSource(url("v1"));
    load();
    assertThat(clone(url("v1")).resolve("api/main.txt")).hasContent("one");
  }

  private Path clone(String url) {
    return GitClones.folder(project.resolve(".grove/sources/project"), "lib", url);
  }

  @Test
  void anActionsSourceRepositoryUrlIsClonedAsItsSourceFolder() throws Exception {
    projectWithSource(url("main"));
    Files.delete(project.resolve("project.garden.yml"));
    Files.writeString(
        project.resolve("project.garden.yml"),
        "apiVersion: garden.io/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\n");
    Files.writeString(
        project.resolve("build.garden.yml"),
        "kind: Build\ntype: exec\nname: api\nsource:\n  repository:\n    url: "
            + url("v1")
            + "\nspec:\n  command: [cat, api/main.txt]\n");

    LoadedProject loaded = load();

    Path clone = GitClones.folder(project.resolve(".grove/sources/action"), "build.api", url("v1"));
    assertThat(project.resolve(loaded.actions().get(BUILD_API).config().sourceDir()))
        .isEqualTo(clone);
    assertThat(loaded.actions().get(BUILD_API).sources())
        .extracting(dev.grove.orchestrator.files.FileEntry::path)
        .contains(project.relativize(clone.resolve("api/main.txt")).toString());
    assertThat(loaded.graph().dependencies(DEPLOY_API)).containsExactly(BUILD_API);
  }

  @Test
  void aRefThatDoesNotExistIsAnErrorNamingTheSourceUrlAndWhatToDo() throws Exception {
    projectWithSource(url("no-such-branch"));

    List<Problem> problems = problems();

    assertThat(problems).hasSize(1);
    Problem problem = problems.get(0);
    assertThat(problem.code()).isEqualTo(ConfigCodes.REMOTE_SOURCE_FAILED);
    assertThat(problem.location().file()).isEqualTo("project.garden.yml");
    assertThat(problem.location().path()).isEqualTo("sources[0].repositoryUrl");
    assertThat(problem.message())
        .startsWith("Cannot fetch the remote source `lib` from " + url("no-such-branch"))
        .contains("no-such-branch");
    assertThat(problem.suggestion()).contains("git ls-remote");
    assertThat(project.resolve(".grove/sources/project")).isEmptyDirectory();
  }

  @Test
  void anUnreachableRepositoryOrAUrlWithoutRefIsAnErrorToo() throws Exception {
    projectWithSource("file://" + dir.resolve("gone") + "#main");
    assertThat(problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("`lib`").contains("gone#main"));

    projectWithSource(repo.toUri().toString());
    assertThat(problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).contains("no branch, tag or commit after `#`");
              assertThat(p.suggestion()).contains("#main");
            });
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private void commit(String message) throws Exception {
    git(repo, "add", "-A");
    git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", message);
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("git " + command).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(command + ": " + out).isZero();
    return out;
  }
}
