package dev.grove.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.api.project.ProjectRequest;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon keeps projects warm and reloads exactly when a file or the request changed. */
class DefaultProjectServiceTest {
  @TempDir Path root;
  private final DefaultProjectService service = new DefaultProjectService(Fixtures.router());

  private ProjectRequest request(Map<String, String> env) {
    return new ProjectRequest(root.toString(), root.toString(), null, Map.of(), env);
  }

  @Test
  void unchangedProjectIsNotReloaded() {
    Fixtures.copy("variables", root);
    LoadedProject first = service.load(request(Map.of("PWD", "/a")));
    // A variable the config does not read (the shell's PWD, OLDPWD, ...) changes nothing.
    LoadedProject second = service.load(request(Map.of("PWD", "/b", "OLDPWD", "/a")));
    assertThat(second).isSameAs(first);
    assertThat(service.loadedProjects()).isEqualTo(1);
  }

  @Test
  void aVariableTheConfigReadsReloadsIt() {
    Fixtures.copy("variables", root);
    LoadedProject first = service.load(request(Map.of("GROVE_TEST_VALUE", "one")));
    LoadedProject second = service.load(request(Map.of("GROVE_TEST_VALUE", "two")));
    assertThat(second).isNotSameAs(first);
    assertThat(second.actions().values().iterator().next().spec().get("deployCommand"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .contains("two");
  }

  @Test
  void anEditedFileReloadsIt() throws Exception {
    Fixtures.copy("versions", root);
    LoadedProject first = service.load(request(Map.of()));
    Path file = root.resolve("api/main.txt");
    Files.writeString(file, "v2");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    LoadedProject second = service.load(request(Map.of()));
    assertThat(second).isNotSameAs(first);
    assertThat(service.validate(request(Map.of())).actions())
        .extracting(a -> a.ref())
        .containsExactly("build.api", "build.web", "deploy.db", "deploy.web");
  }

  @Test
  void aProjectIdleLongerThanTheIdleTimeIsDropped(@TempDir Path other) {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    DefaultProjectService kept =
        new DefaultProjectService(
            Fixtures.router(),
            new DefaultProjectService.WarmPolicy(
                Long.MAX_VALUE, java.time.Duration.ofMinutes(30), now::get));
    Fixtures.copy("versions", root);
    Fixtures.copy("variables", other);
    LoadedProject first = kept.load(request(Map.of()));
    now.addAndGet(java.time.Duration.ofMinutes(20).toNanos());
    kept.load(new ProjectRequest(other.toString(), other.toString(), null, Map.of(), Map.of()));

    now.addAndGet(java.time.Duration.ofMinutes(11).toNanos());
    assertThat(kept.evictIdle()).isEqualTo(1); // root: 31 min idle; other: 11 min
    assertThat(kept.loadedProjects()).isEqualTo(1);
    assertThat(kept.load(request(Map.of()))).isNotSameAs(first); // loaded again on demand
  }

  @Test
  void overTheMemoryBudgetTheLeastRecentlyUsedProjectsGo(@TempDir Path other) {
    DefaultProjectService kept =
        new DefaultProjectService(
            Fixtures.router(),
            new DefaultProjectService.WarmPolicy(
                1, java.time.Duration.ofHours(1), System::nanoTime));
    Fixtures.copy("versions", root);
    Fixtures.copy("variables", other);
    LoadedProject first = kept.load(request(Map.of()));
    assertThat(kept.load(request(Map.of()))).isSameAs(first); // the latest always stays
    kept.load(new ProjectRequest(other.toString(), other.toString(), null, Map.of(), Map.of()));

    assertThat(kept.loadedProjects()).isEqualTo(1);
    assertThat(kept.load(request(Map.of()))).isNotSameAs(first);
  }

  @Test
  void aLoadedProjectIsWeighedByItsFilesAndActions() {
    Fixtures.copy("versions", root);
    service.load(request(Map.of()));
    assertThat(service.estimatedBytes()).isGreaterThan(0);
  }

  @Test
  void aFifoAddedToAWarmProjectIsReportedNotHiddenByTheCache() throws Exception {
    Fixtures.copy("versions", root);
    service.load(request(Map.of()));
    Process mkfifo =
        new ProcessBuilder("mkfifo", root.resolve("api/pipe.garden.yml").toString()).start();
    assertThat(mkfifo.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> service.load(request(Map.of())))
        .isInstanceOf(dev.grove.orchestrator.error.ConfigException.class)
        .hasMessageContaining("api/pipe.garden.yml")
        .hasMessageContaining("FIFO");
  }

  @Test
  void rootIsFoundUpwardFromTheWorkingDirectory() throws Exception {
    Fixtures.copy("versions", root);
    Path deep = Files.createDirectories(root.resolve("api/docs/deeper"));
    var summary =
        service.graph(new ProjectRequest(null, deep.toString(), null, Map.of(), Map.of()));
    assertThat(summary.project()).isEqualTo("versions");
    assertThat(summary.actions().get(3).dependencies())
        .isEqualTo(List.of("build.api", "build.web"));
  }

  @Test
  void noProjectAboveTheWorkingDirectoryIsProjectNotFound() {
    assertThatThrownBy(
            () ->
                service.validate(
                    new ProjectRequest(null, root.toString(), null, Map.of(), Map.of())))
        .isInstanceOfSatisfying(
            GroveException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("PROJECT_NOT_FOUND");
              assertThat(e.error().suggestion()).contains("--root");
            });
  }
}
