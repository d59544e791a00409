package dev.grove.actions.build.container;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed Dockerfile: its instructions in order, continuations joined, comments dropped. Nothing
 * is substituted here: variables depend on build args, which the plan applies ({@link #words}).
 */
public record Dockerfile(String fileName, List<Instruction> instructions) {

  /** Every keyword Docker knows; any other is a syntax error. */
  static final Set<String> KEYWORDS =
      Set.of(
          "ADD",
          "ARG",
          "CMD",
          "COPY",
          "ENTRYPOINT",
          "ENV",
          "EXPOSE",
          "FROM",
          "HEALTHCHECK",
          "LABEL",
          "MAINTAINER",
          "ONBUILD",
          "RUN",
          "SHELL",
          "STOPSIGNAL",
          "USER",
          "VOLUME",
          "WORKDIR");

  /** The instructions that take leading {@code --flag[=value]} options. */
  private static final Set<String> WITH_FLAGS = Set.of("ADD", "COPY", "FROM", "RUN", "HEALTHCHECK");

  public Dockerfile {
    instructions = List.copyOf(instructions);
  }

  /**
   * One instruction.
   *
   * @param line the (1-based) line it starts on
   * @param keyword upper case
   * @param args the text after the keyword and its flags, continuations joined, unsubstituted
   * @param flags the leading {@code --name=value} options ({@code --link} alone is "true")
   * @param execForm the JSON array form's items, or null for the shell form
   */
  public record Instruction(
      int line, String keyword, String args, Map<String, String> flags, List<String> execForm) {
    public Instruction {
      flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
      execForm = execForm == null ? null : List.copyOf(execForm);
    }
  }

  /** Parses {@code text}; {@code fileName} is only for messages. */
  public static Dockerfile parse(String text, String fileName) throws ActionException {
    List<Instruction> result = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    StringBuilder current = null;
    int start = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue; // comments and parser directives; inside a continuation too, as Docker does
      }
      if (current == null) {
        if (trimmed.isEmpty()) {
          continue;
        }
        current = new StringBuilder();
        start = i + 1;
      }
      String body = stripTrailing(line);
      if (body.endsWith("\\")) {
        current.append(body, 0, body.length() - 1);
        continue;
      }
      current.append(body);
      result.add(instruction(current.toString(), start, fileName));
      current = null;
    }
    if (current != null && !current.toString().isBlank()) {
      result.add(instruction(current.toString(), start, fileName));
    }
    if (result.isEmpty()) {
      throw invalid(fileName, 1, "the file has no instructions");
    }
    for (Instruction instruction : result) {
      if (instruction.keyword().equals("FROM")) {
        break;
      }
      if (!instruction.keyword().equals("ARG")) {
        throw invalid(
            fileName,
            instruction.line(),
            instruction.keyword() + " comes before the first FROM (only ARG may)");
      }
    }
    if (result.stream().noneMatch(i -> i.keyword().equals("FROM"))) {
      throw invalid(fileName, result.get(0).line(), "the file has no FROM instruction");
    }
    return new Dockerfile(fileName, result);
  }

  private static Instruction instruction(String text, int line, String fileName)
      throws ActionException {
    String stripped = text.strip();
    int space = indexOfWhitespace(stripped);
    String word = space < 0 ? stripped : stripped.substring(0, space);
    String keyword = word.toUpperCase(Locale.ROOT);
    if (!KEYWORDS.contains(keyword)) {
      throw invalid(fileName, line, "unknown instruction '" + word + "'");
    }
    String rest = space < 0 ? "" : stripped.substring(space).strip();
    Map<String, String> flags = new LinkedHashMap<>();
    if (WITH_FLAGS.contains(keyword)) {
      while (rest.startsWith("--")) {
        int end = indexOfWhitespace(rest);
        String flag = end < 0 ? rest : rest.substring(0, end);
        rest = end < 0 ? "" : rest.substring(end).strip();
        int eq = flag.indexOf('=');
        String name = eq < 0 ? flag.substring(2) : flag.substring(2, eq);
        if (name.isEmpty()) {
          throw invalid(fileName, line, keyword + " has an empty flag '" + flag + "'");
        }
        flags.put(name, eq < 0 ? "true" : flag.substring(eq + 1));
      }
    }
    if (rest.isEmpty()) {
      throw invalid(fileName, line, keyword + " needs arguments");
    }
    List<String> exec = rest.startsWith("[") ? jsonStrings(rest) : null;
    return new Instruction(line, keyword, rest, flags, exec);
  }

  /**
   * The JSON array of strings in {@code text}, or null when it is not one (Docker then treats the
   * text as the shell form).
   */
  static List<String> jsonStrings(String text) {
    List<String> items = new ArrayList<>();
    int i = skipSpaces(text, 1);
    if (i < text.length() && text.charAt(i) == ']') {
      return text.substring(i + 1).isBlank() ? items : null;
    }
    while (i < text.length()) {
      if (text.charAt(i) != '"') {
        return null;
      }
      StringBuilder item = new StringBuilder();
      i++;
      while (true) {
        if (i >= text.length()) {
          return null;
        }
        char c = text.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (i >= text.length()) {
            return null;
          }
          char e = text.charAt(i++);
          switch (e) {
            case 'n' -> item.append('\n');
            case 't' -> item.append('\t');
            case 'r' -> item.append('\r');
            case 'b' -> item.append('\b');
            case 'f' -> item.append('\f');
            case 'u' -> {
              if (i + 4 > text.length()) {
                return null;
              }
              try {
                item.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
              } catch (NumberFormatException e2) {
                return null;
              }
              i += 4;
            }
            default -> item.append(e);
          }
        } else {
          item.append(c);
        }
      }
      items.add(item.toString());
      i = skipSpaces(text, i);
      if (i >= text.length()) {
        return null;
      }
      char sep = text.charAt(i++);
      if (sep == ']') {
        return text.substring(i).isBlank() ? items : null;
      }
      if (sep != ',') {
        return null;
      }
      i = skipSpaces(text, i);
    }
    return null;
  }

  /**
   * Splits {@code text} into words as Docker's shell lexer does for ENV, LABEL, COPY and friends:
   * whitespace separates, quotes group, {@code \} escapes, and {@code $VAR}, {@code ${VAR}}, {@code
   * ${VAR:-default}} and {@code ${VAR:+alt}} are replaced from {@code vars} (unset is empty) except
   * inside single quotes.
   */
  static List<String> words(String text, Map<String, String> vars, String fileName, int line)
      throws ActionException {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
        continue;
      }
      inWord = true;
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw invalid(fileName, line, "unterminated single quote in '" + text + "'");
        }
        word.append(text, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (true) {
          if (i >= text.length()) {
            throw invalid(fileName, line, "unterminated double quote in '" + text + "'");
          }
          char d = text.charAt(i);
          if (d == '"') {
            i++;
            break;
          }
          if (d == '\\' && i + 1 < text.length() && "\"\\$".indexOf(text.charAt(i + 1)) >= 0) {
            word.append(text.charAt(i + 1));
            i += 2;
          } else if (d == '$') {
            i = variable(text, i, vars, word, fileName, line);
          } else {
            word.append(d);
            i++;
          }
        }
      } else if (c == '\\') {
        if (i + 1 < text.length()) {
          word.append(text.charAt(i + 1));
          i += 2;
        } else {
          i++;
        }
      } else if (c == '$') {
        i = variable(text, i, vars, word, fileName, line);
      } else {
        word.append(c);
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Substitutes variables in {@code text} without splitting it into words or removing quotes. */
  static String substitute(String text, Map<String, String> vars, String fileName, int line)
      throws ActionException {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$') {
        i = variable(text, i, vars, out, fileName, line);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Appends the value of the variable at {@code text[i] == '$'}; returns the index after it. */
  private static int variable(
      String text, int i, Map<String, String> vars, StringBuilder out, String fileName, int line)
      throws ActionException {
    int j = i + 1;
    if (j < text.length() && text.charAt(j) == '{') {
      int end = text.indexOf('}', j);
      if (end < 0) {
        throw invalid(fileName, line, "missing '}' in '" + text + "'");
      }
      String inner = text.substring(j + 1, end);
      int colon = inner.indexOf(':');
      String name = colon < 0 ? inner : inner.substring(0, colon);
      if (!isName(name)) {
        throw invalid(fileName, line, "bad substitution '${" + inner + "}'");
      }
      String value = vars.get(name);
      if (colon < 0) {
        out.append(value == null ? "" : value);
      } else if (inner.startsWith(":-", colon)) {
        String fallback = substitute(inner.substring(colon + 2), vars, fileName, line);
        out.append(value == null || value.isEmpty() ? fallback : value);
      } else if (inner.startsWith(":+", colon)) {
        String alternative = substitute(inner.substring(colon + 2), vars, fileName, line);
        out.append(value == null || value.isEmpty() ? "" : alternative);
      } else {
        throw invalid(fileName, line, "unsupported modifier in '${" + inner + "}'");
      }
      return end + 1;
    }
    int end = j;
    while (end < text.length()
        && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
      end++;
    }
    if (end == j) {
      out.append('$');
      return j;
    }
    String value = vars.get(text.substring(j, end));
    out.append(value == null ? "" : value);
    return end;
  }

  private static boolean isName(String name) {
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      return false;
    }
    return name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_');
  }

  static ActionException invalid(String fileName, int line, String what) {
    return new ActionException(
        ActionCodes.INVALID_SPEC,
        fileName + ":" + line + ": " + what + ".",
        "Fix the Dockerfile; `docker build` would reject it too.");
  }

  private static String stripTrailing(String line) {
    return line.stripTrailing();
  }

  private static int indexOfWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
