package dev.grove.actions.deploy.helm;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What Grove does with a local chart's files around {@code helm template}, which (as helm-java runs
 * it) prints neither hooks nor CRDs:
 *
 * <ul>
 *   <li>hooks: Grove renders a copy of the chart whose templates say {@value #HIDDEN} where they
 *       said {@code helm.sh/hook}, so Helm prints hooks as ordinary objects; the post-render puts
 *       the annotations back, and they are hooks again in the chart Grove installs;
 *   <li>CRDs: the {@code crds/} folders of the chart and its unpacked subcharts are copied into the
 *       chart Grove installs, as they are (Helm never templates them).
 * </ul>
 *
 * A remote chart, and a subchart packaged as a {@code .tgz}, are rendered as they are: their hooks
 * and CRDs are not in the release.
 */
final class LocalChart {

  /** Where {@code helm.sh/hook} (and {@code -weight}, {@code -delete-policy}) hides meanwhile. */
  static final String HIDDEN = "grove.dev/helm-hook";

  private static final String HOOK = "helm.sh/hook";

  private LocalChart() {}

  /** Copies the chart into {@code into} (an empty folder), its templates' hooks hidden. */
  static void copyWithHooksVisible(Path chart, Path into, String action) throws ActionException {
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path file : files.toList()) {
        Path relative = chart.relativize(file);
        Path target = into.resolve(relative.toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (inTemplates(relative)) {
          Files.writeString(target, hide(file));
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new ActionException(
          ActionCodes.HELM_FAILED,
          action + ": cannot copy the chart " + chart + " to render it: " + e.getMessage(),
          "Check that the chart's files are readable and the temporary folder is writable.");
    }
  }

  private static boolean inTemplates(Path relative) {
    for (Path part : relative) {
      if (part.toString().equals("templates")) {
        return true;
      }
    }
    return false;
  }

  private static String hide(Path file) throws IOException {
    try {
      return Files.readString(file).replace(HOOK, HIDDEN);
    } catch (MalformedInputException e) {
      throw new IOException(file + " is not UTF-8 text", e);
    }
  }

  /** Puts back the hook annotations {@link #copyWithHooksVisible} hid, in place and in order. */
  static void restoreHooks(Map<String, Object> object) {
    if (!(object.get("metadata") instanceof Map<?, ?> metadata)
        || !(metadata.get("annotations") instanceof Map<?, ?> annotations)
        || annotations.keySet().stream().noneMatch(k -> String.valueOf(k).startsWith(HIDDEN))) {
      return;
    }
    Map<String, Object> restored = new LinkedHashMap<>();
    annotations.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          restored.put(key.startsWith(HIDDEN) ? HOOK + key.substring(HIDDEN.length()) : key, v);
        });
    @SuppressWarnings("unchecked")
    Map<String, Object> writable = (Map<String, Object>) metadata;
    writable.put("annotations", restored);
  }

  /** The CRD files of the chart's {@code crds/} and its unpacked subcharts', in order. */
  static List<Path> crdFiles(Path chart) throws ActionException {
    List<Path> folders = new ArrayList<>();
    folders.add(chart.resolve("crds"));
    Path charts = chart.resolve("charts");
    if (Files.isDirectory(charts)) {
      try (Stream<Path> subcharts = Files.list(charts)) {
        subcharts.sorted().forEach(sub -> folders.add(sub.resolve("crds")));
      } catch (IOException e) {
        throw unreadable(charts, e);
      }
    }
    List<Path> files = new ArrayList<>();
    for (Path folder : folders) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> found = Files.walk(folder)) {
        found
            .filter(Files::isRegularFile)
            .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw unreadable(folder, e);
      }
    }
    return files;
  }

  private static ActionException unreadable(Path folder, IOException e) {
    return new ActionException(
        ActionCodes.HELM_FAILED,
        "Cannot read " + folder + ": " + e.getMessage(),
        "Check that the chart's files are readable.");
  }
}
