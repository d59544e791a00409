package dev.grove.orchestrator.files;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A compiled include/exclude pattern with Garden's semantics: minimatch with {@code dot: true} and
 * {@code matchBase: false}, so {@code *.md} matches only top-level files and {@code **}{@code
 * /*.md} matches at any depth. A pattern without wildcards, or one ending in {@code /} or {@code
 * /**}, also matches everything below it, as Garden widens {@code exclude: [node_modules]} to the
 * whole folder.
 *
 * <p>Immutable and thread-safe; compile once, match many times.
 */
public final class Glob {
  private enum Scope {
    /** The path itself only. */
    EXACT,
    /** The path itself or anything below it. */
    SELF_OR_BELOW,
    /** Only paths strictly below it. */
    BELOW
  }

  private final String pattern;
  private final Scope scope;
  private final String literal;
  private final Pattern regex;

  private Glob(String pattern, Scope scope, String literal, Pattern regex) {
    this.pattern = pattern;
    this.scope = scope;
    this.literal = literal;
    this.regex = regex;
  }

  /**
   * Compiles a pattern relative to an action's source folder.
   *
   * @throws IllegalArgumentException if the pattern is empty, absolute, negated or malformed
   */
  public static Glob compile(String pattern) {
    requireNonNull(pattern, "pattern");
    String p = pattern;
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    if (p.isEmpty()) {
      throw GlobRegex.malformed(pattern, "is empty; use '**' to match every file");
    }
    if (p.startsWith("/")) {
      throw GlobRegex.malformed(
          pattern, "is absolute; write it relative to the action's source folder");
    }
    if (p.startsWith("!")) {
      throw GlobRegex.malformed(
          pattern, "is negated with '!'; list the path under 'exclude' instead");
    }
    Scope scope;
    if (p.endsWith("/")) {
      scope = Scope.BELOW;
      p = stripTrailingSlashes(p);
    } else if (p.endsWith("/**") && !p.endsWith("\\*/**")) {
      scope = Scope.SELF_OR_BELOW;
      p = p.substring(0, p.length() - 3);
    } else if (!GlobRegex.hasMagic(p, true)) {
      scope = Scope.SELF_OR_BELOW;
    } else {
      scope = Scope.EXACT;
    }
    if (p.isEmpty()) {
      throw GlobRegex.malformed(pattern, "names no file or folder");
    }
    if (!GlobRegex.hasMagic(p, true)) {
      return new Glob(pattern, scope, p, null);
    }
    String re = GlobRegex.toRegex(p, true);
    re =
        switch (scope) {
          case EXACT -> re;
          case SELF_OR_BELOW -> re + "(?:/.*)?";
          case BELOW -> re + "/.*";
        };
    try {
      return new Glob(pattern, scope, null, Pattern.compile(re, Pattern.DOTALL));
    } catch (PatternSyntaxException e) {
      throw GlobRegex.malformed(pattern, "is not valid: " + e.getDescription());
    }
  }

  private static String stripTrailingSlashes(String p) {
    int end = p.length();
    while (end > 0 && p.charAt(end - 1) == '/') {
      end--;
    }
    return p.substring(0, end);
  }

  /** Whether a relative, '/'-separated file path matches. */
  public boolean matches(String relativePath) {
    if (literal == null) {
      return regex.matcher(relativePath).matches();
    }
    boolean below =
        relativePath.length() > literal.length()
            && relativePath.charAt(literal.length()) == '/'
            && relativePath.startsWith(literal);
    return switch (scope) {
      case EXACT -> relativePath.equals(literal);
      case SELF_OR_BELOW -> below || relativePath.equals(literal);
      case BELOW -> below;
    };
  }

  public String pattern() {
    return pattern;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Glob other && other.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
