package dev.grove.orchestrator.config;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.files.FileEntry;
import dev.grove.orchestrator.files.FileScanner;
import dev.grove.orchestrator.files.ScanResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The project's remote {@code sources} (Garden's {@code name} + {@code repositoryUrl} with {@code
 * #ref}): each is cloned once into {@code .grove/sources/project/<name>--<hash of the URL>}
 * (Garden's layout under {@code .garden/}), so a changed URL or ref is a new folder and a new
 * clone, and its config files load as part of the project, their paths relative to the clone.
 * Nothing is fetched while the clone is there; {@code grove update-remote sources} removes the
 * clones so the next load fetches them again.
 */
final class RemoteSources {
  /** Where the clones of one project live, relative to its root. */
  static final String DIR = ".grove/sources";

  private final Path root;
  private final GitClones git;
  private final List<String> ignoreFiles;
  private final List<ScanResult> clones = new ArrayList<>();
  private final List<String> prefixes = new ArrayList<>();

  RemoteSources(Path root, GitClones git, List<String> ignoreFiles) {
    this.root = root;
    this.git = git;
    this.ignoreFiles = ignoreFiles;
  }

  /** For one load: git with the invoking shell's environment. */
  static RemoteSources of(Path root, LoadOptions options, List<String> ignoreFiles) {
    return new RemoteSources(
        root, new GitClones(new ProcessRunner(), options.env(), GitClones.TIMEOUT), ignoreFiles);
  }

  /**
   * The config documents of every project source, cloning those not cloned yet; a source that
   * cannot be fetched is an error at its {@code sources[i].repositoryUrl}.
   */
  List<ConfigDocument> projectDocuments(
      ConfigDocument projectDoc,
      Templating templating,
      Map<String, Object> context,
      Diagnostics diagnostics) {
    List<ConfigDocument> documents = new ArrayList<>();
    Object raw = projectDoc.content().get("sources");
    if (raw == null) {
      return documents;
    }
    Object resolved =
        templating.resolveOrNull(projectDoc, "sources", raw, context, diagnostics, null);
    if (!(resolved instanceof List<?> sources)) {
      if (resolved != null) {
        diagnostics.error(
            projectDoc,
            "sources",
            ConfigCodes.INVALID_FIELD,
            "`sources` must be a list, not " + ValueTrees.typeName(resolved) + ".",
            "Write `sources: [{name: my-lib, repositoryUrl: https://host/repo.git#main}]`.");
      }
      return documents;
    }
    int mark = diagnostics.mark();
    for (int i = 0; i < sources.size(); i++) {
      String path = "sources[" + i + "]";
      if (!(sources.get(i) instanceof Map<?, ?> source)
          || !(source.get("name") instanceof String name)
          || !ProjectResolver.NAME.matcher(name).matches()
          || !(source.get("repositoryUrl") instanceof String url)) {
        diagnostics.error(
            projectDoc,
            path,
            ConfigCodes.INVALID_FIELD,
            "Each of `sources` needs a `name` (lowercase letters, digits and dashes) and a"
                + " `repositoryUrl`.",
            "Write e.g. `- name: my-lib` and `repositoryUrl: https://host/repo.git#main`.");
        continue;
      }
      try {
        Path clone = git.ensure(root.resolve(DIR).resolve("project"), name, url);
        documents.addAll(documentsOf(clone, diagnostics));
      } catch (GitClones.FetchException e) {
        diagnostics.error(
            projectDoc,
            path + ".repositoryUrl",
            ConfigCodes.REMOTE_SOURCE_FAILED,
            "Cannot fetch the remote source `" + name + "` from " + url + ": " + e.getMessage(),
            e.suggestion());
      }
    }
    if (diagnostics.errorsSince(mark)) {
      // Without a source its actions are missing: what depends on them would only add noise.
      throw diagnostics.failure();
    }
    return documents;
  }

  /**
   * The clone of an action's {@code source.repository.url}, cloned now when missing, into {@code
   * .grove/sources/action/<kind.name>--<hash>} as Garden does; null when it failed (reported).
   */
  Path actionClone(ConfigDocument doc, String action, String url, Diagnostics diagnostics) {
    try {
      Path clone = git.ensure(root.resolve(DIR).resolve("action"), action, url);
      return scanned(clone, diagnostics) == null ? null : clone;
    } catch (GitClones.FetchException e) {
      diagnostics.error(
          doc,
          "source.repository.url",
          ConfigCodes.REMOTE_SOURCE_FAILED,
          "Cannot fetch the source of " + action + " from " + url + ": " + e.getMessage(),
          e.suggestion());
      return null;
    }
  }

  /** {@code scan} with the files of every clone this load used, as paths from the root. */
  ScanResult withClones(ScanResult scan) {
    if (clones.isEmpty()) {
      return scan;
    }
    List<FileEntry> entries = new ArrayList<>(scan.entries());
    for (int i = 0; i < clones.size(); i++) {
      for (FileEntry entry : clones.get(i).entries()) {
        entries.add(
            new FileEntry(prefixes.get(i) + entry.path(), entry.size(), entry.modifiedNanos()));
      }
    }
    return ScanResult.of(entries, scan.nonFiles());
  }

  /** The clone's files (and they count for versions from now on); null when unreadable. */
  private ScanResult scanned(Path clone, Diagnostics diagnostics) {
    ScanResult scan;
    try {
      scan = FileScanner.scan(clone, ignoreFiles);
    } catch (IOException e) {
      diagnostics.error(
          Problems.at(
              ConfigCodes.CONFIG_UNREADABLE,
              "Cannot read the clone " + clone + ": " + e.getMessage(),
              "Remove the folder so Grove clones it again.",
              root.relativize(clone).toString(),
              0,
              0,
              null));
      return null;
    }
    clones.add(scan);
    prefixes.add(prefix(clone));
    return scan;
  }

  private String prefix(Path clone) {
    return root.relativize(clone).toString().replace('\\', '/') + "/";
  }

  private List<ConfigDocument> documentsOf(Path clone, Diagnostics diagnostics) {
    ScanResult scan = scanned(clone, diagnostics);
    if (scan == null) {
      return List.of();
    }
    String prefix = prefix(clone);
    List<ConfigDocument> documents = new ArrayList<>();
    for (FileEntry entry : scan.entries()) {
      String fileName = entry.path().substring(entry.path().lastIndexOf('/') + 1);
      if (!ProjectLoader.isConfigFile(fileName)) {
        continue;
      }
      YamlLoader.Result result =
          YamlLoader.load(clone.resolve(entry.path()), prefix + entry.path());
      diagnostics.errors(result.problems());
      // As Garden: a remote source's own Project is not part of this project.
      result.documents().stream()
          .filter(doc -> !"Project".equals(doc.content().get("kind")))
          .forEach(documents::add);
    }
    return documents;
  }
}
