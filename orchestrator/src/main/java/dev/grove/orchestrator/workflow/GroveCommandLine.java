package dev.grove.orchestrator.workflow;

import dev.grove.api.error.ErrorCodes;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.run.RunRequest;
import dev.grove.orchestrator.error.GroveException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Grove command a workflow step's {@code command} (or a custom command's {@code gardenCommand})
 * names, as a run request: {@code [build, api]}, {@code [deploy, --force]}, {@code [delete, deploy,
 * db]}. Garden's commands Grove does not have, and persistent ones ({@code --watch}), are errors
 * naming the step.
 *
 * @param request the run to start; null for {@code validate} (a load only)
 */
record GroveCommandLine(List<String> words, RunRequest request) {

  /** What a step may run (the commands of {@code grove} that run to completion). */
  static final List<String> COMMANDS =
      List.of(
          "build",
          "deploy",
          "test",
          "run",
          "status",
          "publish",
          "delete deploy",
          "cleanup deploy",
          "validate");

  static GroveCommandLine parse(List<String> words, ProjectRequest project, String step) {
    if (words.isEmpty()) {
      throw invalid(
          step,
          "has an empty `command`",
          "Name a Grove command: " + String.join(", ", COMMANDS) + ".");
    }
    String first = words.get(0);
    List<String> rest = new ArrayList<>(words.subList(1, words.size()));
    String command;
    switch (first) {
      case "build", "deploy", "test", "run", "status", "publish" -> command = first;
      case "delete", "cleanup" -> {
        if (rest.isEmpty() || !rest.get(0).equals("deploy")) {
          throw unknown(words, step);
        }
        rest.remove(0);
        command = "delete";
      }
      case "validate" -> {
        if (!rest.isEmpty()) {
          throw invalid(
              step, "runs `validate` with arguments " + rest, "`validate` takes none here.");
        }
        return new GroveCommandLine(List.copyOf(words), null);
      }
      default -> throw unknown(words, step);
    }
    List<String> names = new ArrayList<>();
    boolean force = false;
    boolean skipDependencies = false;
    boolean withDependants = false;
    String tag = null;
    Map<String, Integer> concurrency = new LinkedHashMap<>();
    for (int i = 0; i < rest.size(); i++) {
      String word = rest.get(i);
      switch (word) {
        case "--force" -> force = true;
        case "--skip-dependencies" -> skipDependencies = true;
        case "--with-dependants" -> withDependants = true;
        case "--tag" -> {
          if (!command.equals("publish") || i + 1 >= rest.size()) {
            throw invalid(step, "uses --tag without `publish TAG`", "Write [publish, --tag, TAG].");
          }
          tag = rest.get(++i);
        }
        case "--watch", "-w", "--sync" ->
            throw invalid(
                step,
                "runs `" + String.join(" ", words) + "`, which never ends",
                "Workflow steps cannot run persistent commands (as in Garden): leave out "
                    + word
                    + ".");
        default -> {
          if (word.startsWith("-")) {
            throw invalid(
                step,
                "passes `" + word + "` to `" + first + "`, a flag Grove does not take there",
                "Steps take --force, --skip-dependencies, --with-dependants (and publish --tag);"
                    + " global flags such as --env apply to the whole workflow, as in Garden.");
          }
          names.add(word);
        }
      }
    }
    return new GroveCommandLine(
        List.copyOf(words),
        new RunRequest(
            project, command, names, force, skipDependencies, withDependants, concurrency, tag));
  }

  private static GroveException unknown(List<String> words, String step) {
    return invalid(
        step,
        "runs `garden " + String.join(" ", words) + "`, a command Grove does not have",
        "A step can run these Grove commands: "
            + String.join(", ", COMMANDS)
            + "; run anything else as a `script` step.");
  }

  private static GroveException invalid(String step, String what, String suggestion) {
    return new GroveException(ErrorCodes.BAD_REQUEST, step + " " + what + ".", suggestion);
  }
}
