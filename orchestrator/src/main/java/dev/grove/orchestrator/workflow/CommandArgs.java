package dev.grove.orchestrator.workflow;

import dev.grove.api.error.ErrorCodes;
import dev.grove.orchestrator.config.CustomCommandConfig;
import dev.grove.orchestrator.error.GroveException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A custom command's words parsed as Garden parses them: declared {@code args} take the first
 * words, declared {@code opts} their flags; {@code $all} is every word as given, {@code $rest} the
 * words no declaration took (unknown flags too) past the first {@code args.length}, {@code --} what
 * follows {@code --}.
 */
record CommandArgs(Map<String, Object> args, Map<String, Object> opts) {

  static CommandArgs parse(CustomCommandConfig command, List<String> words) {
    Map<String, CustomCommandConfig.Parameter> declaredOpts = new LinkedHashMap<>();
    command.opts().forEach(opt -> declaredOpts.put(opt.name(), opt));
    List<String> positional = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<String> afterDashes = new ArrayList<>();
    Map<String, Object> opts = new LinkedHashMap<>();
    for (CustomCommandConfig.Parameter opt : command.opts()) {
      if (opt.type().equals("boolean")) {
        opts.put(opt.name(), false);
      }
    }
    boolean dashes = false;
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (dashes) {
        afterDashes.add(word);
        unknown.add(word);
      } else if (word.equals("--")) {
        dashes = true;
      } else if (word.startsWith("-") && word.length() > 1 && !isNumber(word)) {
        String flag = word.replaceFirst("^--?", "");
        int eq = flag.indexOf('=');
        String name = eq < 0 ? flag : flag.substring(0, eq);
        String value = eq < 0 ? null : flag.substring(eq + 1);
        CustomCommandConfig.Parameter opt = declaredOpts.get(name);
        if (opt == null) {
          unknown.add(word);
          if (eq < 0 && i + 1 < words.size() && !words.get(i + 1).startsWith("-")) {
            unknown.add(words.get(++i));
          }
          continue;
        }
        if (value == null && !opt.type().equals("boolean")) {
          if (i + 1 >= words.size()) {
            throw usage(command, "option --" + name + " needs a value");
          }
          value = words.get(++i);
        }
        opts.put(name, typed(command, "--" + name, opt.type(), value));
      } else {
        positional.add(word);
        unknown.add(word);
      }
    }
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("$all", List.copyOf(words));
    List<CustomCommandConfig.Parameter> declared = command.args();
    args.put(
        "$rest",
        List.copyOf(unknown.subList(Math.min(declared.size(), unknown.size()), unknown.size())));
    args.put("--", List.copyOf(afterDashes));
    for (int i = 0; i < declared.size(); i++) {
      CustomCommandConfig.Parameter arg = declared.get(i);
      if (i < positional.size()) {
        args.put(arg.name(), typed(command, arg.name(), arg.type(), positional.get(i)));
      } else if (arg.required()) {
        throw usage(
            command, "the argument " + arg.name() + " (" + arg.description() + ") is missing");
      }
    }
    for (CustomCommandConfig.Parameter opt : command.opts()) {
      if (opt.required() && !opts.containsKey(opt.name())) {
        throw usage(
            command, "the option --" + opt.name() + " (" + opt.description() + ") is missing");
      }
    }
    return new CommandArgs(args, opts);
  }

  private static Object typed(CustomCommandConfig command, String what, String type, String value) {
    switch (type) {
      case "integer" -> {
        try {
          return Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw usage(command, what + " must be an integer, not `" + value + "`");
        }
      }
      case "boolean" -> {
        if (value == null || value.equals("true")) {
          return true;
        }
        if (value.equals("false")) {
          return false;
        }
        throw usage(command, what + " must be true or false, not `" + value + "`");
      }
      default -> {
        return value;
      }
    }
  }

  private static boolean isNumber(String word) {
    return word.matches("-\\d+(\\.\\d+)?");
  }

  private static GroveException usage(CustomCommandConfig command, String problem) {
    StringBuilder usage = new StringBuilder("grove " + command.name());
    command
        .args()
        .forEach(
            a ->
                usage
                    .append(a.required() ? " <" : " [")
                    .append(a.name())
                    .append(a.required() ? ">" : "]"));
    command
        .opts()
        .forEach(
            o ->
                usage
                    .append(" [--")
                    .append(o.name())
                    .append(
                        o.type().equals("boolean")
                            ? ""
                            : " " + o.type().toUpperCase(java.util.Locale.ROOT))
                    .append(']'));
    return new GroveException(
        ErrorCodes.BAD_REQUEST,
        "Command " + command.name() + ": " + problem + ".",
        "Usage: " + usage + " (declared in " + command.document().displayFile() + ").");
  }
}
