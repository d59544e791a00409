package dev.grove.orchestrator.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.action.ActionRef;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.config.LoadOptions;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.config.ProjectLoader;
import dev.grove.orchestrator.template.TemplateResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing a source file changes the version of its action and of everything depending on it, and
 * nothing else; ignored and excluded files and descriptions change nothing.
 */
class VersionSensitivityTest {
  @TempDir Path root;
  private ProjectLoader loader;
  private Map<String, String> before;

  @BeforeEach
  void load() {
    Fixtures.copy("versions", root);
    loader = new ProjectLoader(root, new TemplateResolver(), Fixtures.types());
    before = versions();
  }

  private Map<String, String> versions() {
    LoadedProject project = loader.load(new LoadOptions(null, Map.of(), Map.of())).project();
    Map<String, String> out = new TreeMap<>();
    project.actions().forEach((ref, action) -> out.put(ref.toString(), action.version()));
    return out;
  }

  private void write(String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.writeString(file, content);
    // Make sure the stamp moves even on coarse file systems.
    Files.setLastModifiedTime(
        file,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(file).toMillis() + 2000));
  }

  private Map<String, String> changed() {
    Map<String, String> after = versions();
    Map<String, String> diff = new TreeMap<>();
    after.forEach(
        (ref, version) -> {
          if (!version.equals(before.get(ref))) {
            diff.put(ref, version);
          }
        });
    return diff;
  }

  @Test
  void versionsAreDeterministicAndWellFormed() {
    assertThat(before.values()).allMatch(v -> v.matches("v-[0-9a-f]{10}"));
    assertThat(
            new ProjectLoader(root, new TemplateResolver(), Fixtures.types())
                .load(new LoadOptions(null, Map.of(), Map.of()))
                .project()
                .actions()
                .get(ActionRef.parse("build.api").orElseThrow())
                .version())
        .isEqualTo(before.get("build.api"));
  }

  @Test
  void editingASourceChangesItsActionAndDependantsOnly() throws IOException {
    write("api/main.txt", "v2");
    assertThat(changed().keySet()).containsExactly("build.api", "deploy.web");
  }

  @Test
  void editingAnotherBuildLeavesTheFirstAlone() throws IOException {
    write("web/index.html", "<h1>new</h1>");
    assertThat(changed().keySet()).containsExactly("build.web", "deploy.web");
  }

  @Test
  void ignoredAndExcludedFilesChangeNothing() throws IOException {
    write("api/debug.log", "more log");
    write("api/docs/readme.md", "new docs");
    Files.writeString(root.resolve("api/new.log"), "x");
    assertThat(changed()).isEmpty();
  }

  @Test
  void descriptionChangesNothing() throws IOException {
    String config = Files.readString(root.resolve("api/garden.yml"));
    write("api/garden.yml", config.replace("The API.", "The API, described better."));
    assertThat(changed()).isEmpty();
  }

  @Test
  void specChangeChangesTheVersion() throws IOException {
    String config = Files.readString(root.resolve("web/garden.yml"));
    write("web/garden.yml", config + "  command: [serve]\n");
    assertThat(changed().keySet()).containsExactly("deploy.web");
  }

  @Test
  void kubernetesDeployCountsOnlyItsManifestFiles() throws IOException {
    write("manifests/other.yml", "kind: ConfigMap\n");
    assertThat(changed()).isEmpty();
    write("manifests/db.yml", "kind: ConfigMap\napiVersion: v1\nmetadata: {name: db2}\n");
    assertThat(changed().keySet()).containsExactly("deploy.db");
  }

  @Test
  void unchangedFilesAreNotReadAgain() throws IOException {
    // Loading again after an edit re-reads only the edited file.
    write("web/index.html", "<h1>again</h1>");
    TemplateResolver templates = new TemplateResolver();
    ProjectLoader fresh = new ProjectLoader(root, templates, Fixtures.types());
    fresh.load(new LoadOptions(null, Map.of(), Map.of()));
    long reads = fresh.hashReads();
    fresh.load(new LoadOptions(null, Map.of(), Map.of()));
    assertThat(fresh.hashReads()).isEqualTo(reads);
    write("web/index.html", "<h1>once more</h1>");
    fresh.load(new LoadOptions(null, Map.of(), Map.of()));
    assertThat(fresh.hashReads()).isEqualTo(reads + 1);
  }
}
