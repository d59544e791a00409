package dev.grove.orchestrator.version;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.orchestrator.config.ActionConfig;
import dev.grove.orchestrator.config.Values;
import dev.grove.orchestrator.files.FileEntry;
import dev.grove.orchestrator.files.FileHashCache;
import dev.grove.orchestrator.files.Glob;
import dev.grove.orchestrator.files.ScanResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * An action's version: {@code v-} + 10 hex of sha256 over its resolved config (minus the fields
 * that do not change what it produces), the contents of its source files and the versions of its
 * dependencies. File contents come from the daemon's hash cache, so an unchanged file is never read
 * again.
 */
public final class VersionCalculator {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Path root;
  private final FileHashCache hashes;

  public VersionCalculator(Path root, FileHashCache hashes) {
    this.root = root;
    this.hashes = hashes;
  }

  /**
   * The files that count for the action, relative to the project root: under its source folder,
   * filtered by {@code include} (or the type's default, or none for a Deploy with {@code build} and
   * no include), {@code exclude} and {@code version.excludeFiles}, minus its config file.
   *
   * @param buildSourceDir the source folder of the action's Build, when it has one
   */
  public List<FileEntry> sources(
      ActionConfig action,
      Map<String, Object> spec,
      ScanResult scan,
      Optional<String> buildSourceDir) {
    String base = action.sourceDir();
    List<Glob> includes;
    String includeBase = base;
    if (action.include() != null) {
      includes = action.include().stream().map(Glob::compile).toList();
    } else {
      Optional<List<String>> defaults = action.handler().defaultIncludes(spec);
      if (defaults.isPresent()) {
        includes = defaults.get().stream().map(VersionCalculator::safeGlob).toList();
        includeBase = buildSourceDir.orElse(base);
      } else if (action.ref().kind() != ActionKind.BUILD && action.build() != null) {
        return List.of();
      } else {
        includes = null; // everything under the source folder
      }
    }
    if (includes != null && includes.isEmpty()) {
      return List.of();
    }
    List<Glob> excludes = new ArrayList<>();
    action.exclude().forEach(pattern -> excludes.add(Glob.compile(pattern)));
    action.versionSettings().excludeFiles().forEach(pattern -> excludes.add(Glob.compile(pattern)));
    String scanBase = includes == null ? base : commonBase(base, includeBase);
    List<FileEntry> out = new ArrayList<>();
    for (FileEntry entry : scan.under(scanBase)) {
      if (entry.path().equals(action.configFile())) {
        continue;
      }
      if (includes != null && !matchesAny(includes, relativeTo(includeBase, entry.path()))) {
        continue;
      }
      String fromBase = relativeTo(base, entry.path());
      if (fromBase != null && matchesAny(excludes, fromBase)) {
        continue;
      }
      out.add(entry);
    }
    return out;
  }

  /** The version of the action, given its sources and its dependencies' versions. */
  public String version(
      ActionConfig action,
      Map<String, Object> spec,
      List<FileEntry> sources,
      SortedMap<ActionRef, String> dependencyVersions) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("kind", action.ref().kind().displayName());
    config.put("type", action.type());
    config.put("name", action.ref().name());
    config.put("build", action.build());
    config.put(
        "dependencies",
        action.explicitDependencies().stream().map(d -> d.ref().toString()).sorted().toList());
    config.put("timeout", action.timeout());
    config.put("spec", Values.deepCopy(spec));
    for (String field : action.versionSettings().excludeFields()) {
      removePath(config, field);
    }
    MessageDigest digest = sha256();
    String json;
    try {
      json = CANONICAL.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the config of " + action.ref(), e);
    }
    for (String value : action.versionSettings().excludeValues()) {
      if (!value.isEmpty()) {
        json = json.replace(value, "<excluded>");
      }
    }
    update(digest, "config");
    update(digest, json);
    update(digest, "files");
    for (FileEntry entry : sources) {
      update(digest, entry.path());
      try {
        update(digest, hashes.hash(root, entry));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    update(digest, "dependencies");
    List<String> excluded = action.versionSettings().excludeDependencies();
    dependencyVersions.forEach(
        (ref, version) -> {
          if (!excluded.contains(ref.toString())) {
            update(digest, ref + "=" + version);
          }
        });
    return "v-" + HexFormat.of().formatHex(digest.digest()).substring(0, 10);
  }

  private static Glob safeGlob(String pattern) {
    return Glob.compile(pattern.startsWith("./") ? pattern.substring(2) : pattern);
  }

  private static boolean matchesAny(List<Glob> globs, String path) {
    if (path == null) {
      return false;
    }
    for (Glob glob : globs) {
      if (glob.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** The path relative to a base folder, or null when it is not inside it. */
  static String relativeTo(String base, String path) {
    if (base.isEmpty()) {
      return path;
    }
    if (path.startsWith(base)
        && path.length() > base.length()
        && path.charAt(base.length()) == '/') {
      return path.substring(base.length() + 1);
    }
    return null;
  }

  private static String commonBase(String a, String b) {
    String[] left = a.isEmpty() ? new String[0] : a.split("/");
    String[] right = b.isEmpty() ? new String[0] : b.split("/");
    List<String> common = new ArrayList<>();
    for (int i = 0; i < Math.min(left.length, right.length) && left[i].equals(right[i]); i++) {
      common.add(left[i]);
    }
    return String.join("/", common);
  }

  private static void removePath(Map<String, Object> map, String dotted) {
    String[] parts = dotted.split("\\.");
    Object current = map;
    for (int i = 0; i < parts.length - 1; i++) {
      if (!(current instanceof Map<?, ?> m)) {
        return;
      }
      current = m.get(parts[i]);
    }
    if (current instanceof Map<?, ?> m) {
      Values.asMap(m).remove(parts[parts.length - 1]);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }
}
