package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.deploy.kubernetes.KubernetesManifests.Declared;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.event.EventPayload.Warning;
import dev.grove.api.project.UserFiles;
import dev.grove.api.value.ValueTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Step one of the pipeline: the objects a {@code Deploy/kubernetes} declares, in Garden's order —
 * the inline {@code manifests}, then each templated file ({@code manifestTemplates}, else {@code
 * files}), then each {@code manifestFiles} file — with {@code List} objects expanded into their
 * items and each object checked to have {@code apiVersion}, {@code kind} and {@code metadata.name}.
 */
final class ManifestSources {

  private ManifestSources() {}

  static List<Declared> read(
      String action,
      KubernetesDeploySpec spec,
      Path buildDir,
      ManifestTemplater templater,
      KustomizeBuild.Runner kustomize,
      List<Warning> warnings)
      throws ActionException {
    List<Declared> declared = new ArrayList<>();
    for (int i = 0; i < spec.manifests().size(); i++) {
      String origin = "spec.manifests[" + i + "]";
      expand(
          action, Trees.mutable(spec.manifests().get(i), action + ": " + origin), origin, declared);
    }
    String templatesKey = "manifestTemplates";
    if (spec.manifestTemplates().isEmpty()) {
      templatesKey = "files";
    } else if (!spec.files().isEmpty()) {
      warnings.add(
          new Warning(
              ActionCodes.GROVE_FILES_IGNORED,
              action
                  + " sets both spec.files and spec.manifestTemplates; as in Garden, the files"
                  + " of spec.files ("
                  + String.join(", ", spec.files())
                  + ") are not read.",
              "List all templated files in spec.manifestTemplates and remove spec.files (its"
                  + " Garden 0.13 name)."));
    }
    for (String path : spec.templateFiles()) {
      for (String file : files(action, templatesKey, path, buildDir)) {
        readFile(action, buildDir, file, templater, declared);
      }
    }
    for (String path : spec.manifestFiles()) {
      for (String file : files(action, "manifestFiles", path, buildDir)) {
        readFile(action, buildDir, file, ManifestTemplater.NONE, declared);
      }
    }
    if (spec.kustomize().isPresent()) {
      // As Garden: kustomize's output is not templated, and comes after the files.
      String path = spec.kustomize().get().path();
      String output = kustomize.build(action, spec.kustomize().get(), buildDir);
      readText(
          action,
          "the output of kustomize build " + path,
          output,
          ManifestTemplater.NONE,
          declared);
    }
    return declared;
  }

  private static void readFile(
      String action,
      Path buildDir,
      String file,
      ManifestTemplater templater,
      List<Declared> declared)
      throws ActionException {
    String text;
    try {
      text = UserFiles.readText(buildDir.resolve(file));
    } catch (UserFiles.UnreadableException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          action + ": cannot read " + file + " in " + buildDir + ": " + e.getMessage(),
          e.suggestion());
    }
    readText(action, file, text, templater, declared);
  }

  /** The objects of YAML text read from {@code file} (for messages). */
  static void readText(
      String action, String file, String text, ManifestTemplater templater, List<Declared> declared)
      throws ActionException {
    for (ManifestYaml.Document document : ManifestYaml.parse(text, action + ": " + file)) {
      String origin =
          file + " document " + (document.index() + 1) + " (line " + document.line() + ")";
      Object value = templater.resolve(document.value(), file, document.index());
      if (value == null) {
        continue;
      }
      expand(action, Trees.mutable(value, action + ": " + origin), origin, declared);
    }
  }

  /** Adds the object, or a List's items, to {@code declared}. */
  private static void expand(String action, Object value, String origin, List<Declared> declared)
      throws ActionException {
    if (!(value instanceof Map<?, ?>)) {
      throw notAnObject(action, origin, "it is " + ValueTrees.describe(value));
    }
    Map<String, Object> object = ValueTrees.map(value);
    if (isList(object)) {
      Object items = object.get("items");
      if (items == null) {
        return;
      }
      if (!(items instanceof List<?>)) {
        throw notAnObject(
            action, origin, "it is a " + object.get("kind") + " whose items are not a list");
      }
      List<Object> list = ValueTrees.list(items);
      for (int i = 0; i < list.size(); i++) {
        expand(action, list.get(i), origin + ", item " + (i + 1) + " of its List", declared);
      }
      return;
    }
    String missing = missingField(object);
    if (missing != null) {
      throw notAnObject(action, origin, "it has no " + missing);
    }
    declared.add(new Declared(object, origin));
  }

  /**
   * {@code kind: List}, or any {@code *List} kind ({@code DeploymentList}, what {@code kubectl get
   * -o yaml} writes), as Garden expands them. One that has no {@code items} but a {@code
   * metadata.name} is a custom kind that happens to end in List, not a list.
   */
  private static boolean isList(Map<String, Object> object) {
    return object.get("kind") instanceof String kind
        && kind.endsWith("List")
        && (object.get("items") instanceof List<?> || name(object) == null);
  }

  /** The first of apiVersion, kind and metadata.name that the object lacks, or null. */
  static String missingField(Map<String, Object> object) {
    if (!(object.get("apiVersion") instanceof String v) || v.isBlank()) {
      return "apiVersion";
    }
    if (!(object.get("kind") instanceof String k) || k.isBlank()) {
      return "kind";
    }
    return name(object) == null ? "metadata.name" : null;
  }

  private static String name(Map<String, Object> object) {
    return object.get("metadata") instanceof Map<?, ?> metadata
            && metadata.get("name") instanceof String name
            && !name.isBlank()
        ? name
        : null;
  }

  static ActionException notAnObject(String action, String origin, String why) {
    return new ActionException(
        ActionCodes.INVALID_SPEC,
        action + ": " + origin + " is not a Kubernetes object: " + why + ".",
        "Each manifest is a map with apiVersion, kind and metadata.name (Grove applies objects by"
            + " name, so generateName is not enough); complete it or remove it.");
  }

  /** The files a {@code files}/{@code manifestTemplates}/{@code manifestFiles} entry names. */
  private static List<String> files(String action, String key, String path, Path buildDir)
      throws ActionException {
    if (!isGlob(path)) {
      if (!Files.exists(buildDir.resolve(path))) {
        throw missing(action, key, path, buildDir); // a FIFO or a folder: readFile says so
      }
      return List.of(path);
    }
    List<String> matches = glob(path, buildDir);
    if (matches.isEmpty()) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          action
              + ": spec."
              + key
              + " has "
              + path
              + ", which matches no file in "
              + buildDir
              + ".",
          "Paths in spec."
              + key
              + " are relative to the action's build folder "
              + buildDir
              + " (its config's folder, or its Build's folder when the Deploy sets build:);"
              + " check the pattern.");
    }
    return matches;
  }

  private static ActionException missing(String action, String key, String path, Path buildDir) {
    String where =
        "Paths in spec."
            + key
            + " are relative to the action's build folder "
            + buildDir
            + ": the folder of its config, or of its Build when the Deploy sets build: (as in"
            + " Garden 0.13, which fails the same way). ";
    String fix = "Check the path and where the file is.";
    // The usual mistake: build: backend with files: [backend/deployment.yml].
    String[] parts = path.replace('\\', '/').split("/");
    for (int i = 1; i < parts.length; i++) {
      String shorter = String.join("/", Arrays.copyOfRange(parts, i, parts.length));
      if (Files.isRegularFile(buildDir.resolve(shorter))) {
        fix = "Write " + shorter + " instead of " + path + ".";
        break;
      }
    }
    return new ActionException(
        ActionCodes.INVALID_SPEC,
        action
            + ": spec."
            + key
            + " lists "
            + path
            + ", but there is no such file in "
            + buildDir
            + ".",
        where + fix);
  }

  private static boolean isGlob(String path) {
    return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /**
   * The files under {@code buildDir} that a glob matches, sorted: {@code *} and {@code ?} stay
   * within a folder, {@code **} crosses folders ({@code **}{@code /} also matches none), {@code
   * {a,b}} and {@code [abc]} as in Garden's glob library; hidden files only when the pattern names
   * them.
   */
  private static List<String> glob(String pattern, Path buildDir) throws ActionException {
    String normalized = pattern.replace('\\', '/');
    Pattern regex = globRegex(normalized);
    // Walk only below the part of the pattern without wildcards.
    String[] parts = normalized.split("/");
    StringBuilder fixed = new StringBuilder();
    for (int i = 0; i < parts.length - 1 && !isGlob(parts[i]); i++) {
      fixed.append(parts[i]).append('/');
    }
    Path root = buildDir.resolve(fixed.toString()).normalize();
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    boolean hidden = normalized.startsWith(".") || normalized.contains("/.");
    Path base = buildDir.normalize();
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> base.relativize(p.normalize()).toString().replace('\\', '/'))
          .filter(p -> hidden || !(p.startsWith(".") || p.contains("/.")))
          .filter(p -> regex.matcher(p).matches())
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          "Cannot list the files for " + pattern + " in " + buildDir + ": " + e.getMessage(),
          "Check that the folder is readable.");
    }
  }

  static Pattern globRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            i++;
            if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
              i++;
              regex.append("(?:[^/]*/)*");
            } else {
              regex.append(".*");
            }
          } else {
            regex.append("[^/]*");
          }
        }
        case '?' -> regex.append("[^/]");
        case '{' -> {
          braces++;
          regex.append("(?:");
        }
        case '}' -> {
          if (braces > 0) {
            braces--;
            regex.append(')');
          } else {
            regex.append("\\}");
          }
        }
        case ',' -> regex.append(braces > 0 ? "|" : ",");
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            regex.append("\\[");
          } else {
            String set = glob.substring(i + 1, end);
            if (set.startsWith("!")) {
              set = "^" + set.substring(1);
            }
            regex.append('[').append(set.replace("\\", "\\\\")).append(']');
            i = end;
          }
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
