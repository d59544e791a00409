package dev.grove.orchestrator.dashboard;

import dev.grove.api.error.Problem;
import dev.grove.orchestrator.config.ConfigCodes;
import dev.grove.orchestrator.config.ConfigDocument;
import dev.grove.orchestrator.config.LoadedProject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which actions set fields Grove accepts but does not act on yet ({@code GROVE_NOT_ACTED_ON}
 * warnings: {@code spec.sync}, {@code stopCommand}...): the dashboard marks them. A warning names a
 * file, a line and a path; it is an action's when the action's document has that path at that line.
 */
public final class NotActedOn {
  private NotActedOn() {}

  /** Each action's not-acted-on warnings, by ref; actions without any are left out. */
  public static Map<String, List<Problem>> byAction(LoadedProject project, List<Problem> warnings) {
    Map<String, List<Problem>> found = new LinkedHashMap<>();
    for (Problem warning : warnings) {
      if (!ConfigCodes.GROVE_NOT_ACTED_ON.equals(warning.code())
          || warning.location() == null
          || warning.location().path() == null) {
        continue;
      }
      for (LoadedProject.ResolvedAction action : project.actions().values()) {
        ConfigDocument document = action.config().document();
        if (document == null || !sameFile(document, warning.location().file())) {
          continue;
        }
        int[] at = document.locations().find(warning.location().path());
        if (at != null && at[0] == warning.location().line()) {
          found
              .computeIfAbsent(action.config().ref().toString(), ref -> new ArrayList<>())
              .add(warning);
        }
      }
    }
    return found;
  }

  private static boolean sameFile(ConfigDocument document, String file) {
    return file != null
        && (file.equals(document.displayFile()) || file.equals(document.file().toString()));
  }
}
