package dev.grove.orchestrator.version;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
   * The files that count for an action, relative to the project root: under its source folder,
   * filtered by its includes (or the type's default includes, or none), excludes, minus its config
   * file.
   */
  public List<FileEntry> sources(SourceSelection selection, ScanResult scan) {
    String base = selection.sourceDir();
    if (selection.includes().isPresent() && selection.includes().get().isEmpty()) {
      return List.of();
    }
    List<Glob> includes =
        selection
            .includes()
            .map(list -> list.stream().map(VersionCalculator::safeGlob).toList())
            .orElse(null);
    String includeBase = selection.includeBase();
    List<Glob> excludes = selection.excludes().stream().map(Glob::compile).toList();
    String scanBase = includes == null ? base : commonBase(base, includeBase);
    List<FileEntry> out = new ArrayList<>();
    for (FileEntry entry : scan.under(scanBase)) {
      if (entry.path().equals(selection.configFile())) {
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

  /**
   * Which files of the tree are an action's sources.
   *
   * @param sourceDir the action's folder, relative to the root
   * @param includes include globs, relative to {@code includeBase}; empty Optional for every file
   *     under {@code sourceDir}; an empty list for no files
   * @param excludes exclude globs, relative to {@code sourceDir}
   * @param configFile the action's config file, never a source
   */
  public record SourceSelection(
      String sourceDir,
      Optional<List<String>> includes,
      String includeBase,
      List<String> excludes,
      String configFile) {}

  /**
   * The version: {@code config} is the action's resolved config without the fields that do not
   * count (description, variables, include, ...); {@code excludeValues} are masked in it.
   */
  public String version(
      Map<String, Object> config,
      List<String> excludeValues,
      List<FileEntry> sources,
      SortedMap<String, String> dependencyVersions) {
    MessageDigest digest = sha256();
    String json;
    try {
      json = CANONICAL.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize an action config", e);
    }
    for (String value : excludeValues) {
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
    dependencyVersions.forEach((ref, version) -> update(digest, ref + "=" + version));
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
