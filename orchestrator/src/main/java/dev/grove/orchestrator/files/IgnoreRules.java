package dev.grove.orchestrator.files;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Rules from .gitignore-style files, with paths relative to the scanned root. Later rules win, so
 * rules of a deeper ignore file are appended after those of its parents with {@link
 * #then(IgnoreRules)}. Immutable and thread-safe.
 */
public final class IgnoreRules {
  public static final IgnoreRules EMPTY = new IgnoreRules(new Rule[0]);

  private final Rule[] rules;

  private IgnoreRules(Rule[] rules) {
    this.rules = rules;
  }

  /**
   * Parses the lines of one ignore file.
   *
   * @param relativeDirOfFile the folder holding the file, relative to the root ("" for the root)
   */
  public static IgnoreRules parse(String relativeDirOfFile, List<String> lines) {
    requireNonNull(relativeDirOfFile, "relativeDirOfFile");
    String dir = trimSlashes(relativeDirOfFile);
    String base = dir.isEmpty() || dir.equals(".") ? "" : dir + "/";
    List<Rule> parsed = new ArrayList<>();
    for (String line : lines) {
      Rule rule = parseLine(base, line);
      if (rule != null) {
        parsed.add(rule);
      }
    }
    return parsed.isEmpty() ? EMPTY : new IgnoreRules(parsed.toArray(new Rule[0]));
  }

  private static Rule parseLine(String base, String raw) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (line.isEmpty() || line.charAt(0) == '#') {
      return null;
    }
    line = trimTrailingSpaces(line);
    boolean negated = line.startsWith("!");
    if (negated) {
      line = line.substring(1);
    }
    boolean dirOnly = line.endsWith("/");
    if (dirOnly) {
      line = line.substring(0, line.length() - 1);
    }
    // A slash at the start or in the middle anchors the pattern to the ignore file's folder.
    boolean anchored = line.indexOf('/') >= 0;
    if (line.startsWith("/")) {
      line = line.substring(1);
    }
    if (line.isEmpty()) {
      return null;
    }
    if (!GlobRegex.hasMagic(line, false)) {
      return new Rule(base, anchored, dirOnly, negated, line, null);
    }
    try {
      String re = GlobRegex.toRegex(line, false);
      return new Rule(base, anchored, dirOnly, negated, null, Pattern.compile(re, Pattern.DOTALL));
    } catch (IllegalArgumentException e) {
      // git skips a pattern it cannot parse (PatternSyntaxException is an IllegalArgumentException)
      return null;
    }
  }

  /** Removes unescaped trailing spaces, as git does. */
  private static String trimTrailingSpaces(String line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      if (end >= 2 && line.charAt(end - 2) == '\\') {
        break;
      }
      end--;
    }
    return line.substring(0, end);
  }

  private static String trimSlashes(String dir) {
    int start = 0;
    int end = dir.length();
    while (start < end && dir.charAt(start) == '/') {
      start++;
    }
    while (end > start && dir.charAt(end - 1) == '/') {
      end--;
    }
    return dir.substring(start, end);
  }

  /** These rules followed by {@code deeper}, whose rules win on conflict. */
  public IgnoreRules then(IgnoreRules deeper) {
    if (deeper.rules.length == 0) {
      return this;
    }
    if (rules.length == 0) {
      return deeper;
    }
    Rule[] all = Arrays.copyOf(rules, rules.length + deeper.rules.length);
    System.arraycopy(deeper.rules, 0, all, rules.length, deeper.rules.length);
    return new IgnoreRules(all);
  }

  public boolean isEmpty() {
    return rules.length == 0;
  }

  /**
   * Whether a path is ignored, including because a folder above it is: a file cannot be re-included
   * when its parent folder is excluded.
   */
  public boolean isIgnored(String relativePath, boolean directory) {
    if (rules.length == 0) {
      return false;
    }
    int slash = relativePath.indexOf('/');
    while (slash >= 0) {
      String parent = relativePath.substring(0, slash);
      if (ignoresEntry(parent, nameOf(parent), true)) {
        return true;
      }
      slash = relativePath.indexOf('/', slash + 1);
    }
    return ignoresEntry(relativePath, nameOf(relativePath), directory);
  }

  /**
   * Whether the last matching rule ignores this entry, assuming its parent folders are not ignored.
   * The scanner calls this once per entry while it walks, so parents are checked by then.
   */
  boolean ignoresEntry(String relativePath, String name, boolean directory) {
    for (int i = rules.length - 1; i >= 0; i--) {
      Rule rule = rules[i];
      if (rule.matches(relativePath, name, directory)) {
        return !rule.negated;
      }
    }
    return false;
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return "IgnoreRules" + Arrays.toString(rules);
  }

  /** One line; {@code literal} is set when the pattern has no wildcard, otherwise {@code regex}. */
  private record Rule(
      String base,
      boolean anchored,
      boolean dirOnly,
      boolean negated,
      String literal,
      Pattern regex) {

    boolean matches(String path, String name, boolean directory) {
      if (dirOnly && !directory) {
        return false;
      }
      if (!base.isEmpty() && !path.startsWith(base)) {
        return false;
      }
      String subject = anchored ? path.substring(base.length()) : name;
      return literal != null ? literal.equals(subject) : regex.matcher(subject).matches();
    }
  }
}
