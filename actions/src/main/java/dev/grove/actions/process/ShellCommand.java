package dev.grove.actions.process;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.value.ValueTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command as exec actions write it: a list of strings run as a program and its arguments, or —
 * with {@code shell: true}, or written as one string — a script run by {@code /bin/sh -c} (Garden
 * joins the list with spaces).
 *
 * @param field the spec field it came from, for messages ({@code deployCommand})
 * @param argv what is started
 * @param shown how messages show it: the command as written
 */
public record ShellCommand(String field, List<String> argv, String shown) {

  /** The shell Garden runs scripts with. */
  public static final String SHELL = "/bin/sh";

  public ShellCommand {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
  }

  /**
   * Reads {@code spec.<field>}: empty when missing, an empty list or a blank string.
   *
   * @throws ActionException {@code INVALID_SPEC} when it is not a string or a list of strings
   */
  public static Optional<ShellCommand> parse(
      Map<String, Object> spec, String field, boolean shell, String action) throws ActionException {
    Object value = spec.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String script) {
      return script.isBlank()
          ? Optional.empty()
          : Optional.of(new ShellCommand(field, List.of(SHELL, "-c", script), script));
    }
    if (!(value instanceof List<?> items)) {
      throw invalid(action, field, "is " + ValueTrees.describe(value));
    }
    List<String> words = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (!ValueTrees.isScalar(item)) {
        throw invalid(action, field + "[" + i + "]", "is " + ValueTrees.describe(item));
      }
      words.add(SpecValues.stringOf(item));
    }
    if (words.isEmpty()) {
      return Optional.empty();
    }
    String joined = String.join(" ", words);
    return Optional.of(
        shell
            ? new ShellCommand(field, List.of(SHELL, "-c", joined), joined)
            : new ShellCommand(field, words, joined));
  }

  private static ActionException invalid(String action, String field, String what) {
    return new ActionException(
        ActionCodes.INVALID_SPEC,
        action + ": spec." + field + " " + what + "; it must be a list of strings or one string.",
        "Write spec."
            + field
            + " as a list such as [\"npm\", \"run\", \"build\"], or as one string to run it"
            + " with sh.");
  }
}
