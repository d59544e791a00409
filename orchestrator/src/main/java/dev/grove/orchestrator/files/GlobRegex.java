package dev.grove.orchestrator.files;

/**
 * Translates a glob into a Java regex over '/'-separated relative paths. Shared by {@link Glob}
 * (minimatch flavour, with braces) and {@link IgnoreRules} (gitignore flavour, braces are literal).
 * Dotfiles are matched by wildcards, as Garden calls minimatch with {@code dot: true}.
 */
final class GlobRegex {
  private GlobRegex() {}

  /** Whether the pattern has any character that is not matched literally. */
  static boolean hasMagic(String glob, boolean braces) {
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '\\' || (braces && c == '{')) {
        return true;
      }
    }
    return false;
  }

  static String toRegex(String glob, boolean braces) {
    StringBuilder re = new StringBuilder(glob.length() * 2);
    int depth = 0;
    int n = glob.length();
    for (int i = 0; i < n; i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '\\' -> {
          if (i + 1 >= n) {
            throw malformed(glob, "ends with a lone '\\'; escape it as '\\\\'");
          }
          appendLiteral(re, glob.charAt(++i));
        }
        case '*' -> {
          int end = i;
          while (end < n && glob.charAt(end) == '*') {
            end++;
          }
          boolean globstar =
              end - i >= 2
                  && isSegmentStart(glob, i, braces && depth > 0)
                  && isSegmentEnd(glob, end, braces && depth > 0);
          if (!globstar) {
            re.append("[^/]*");
            i = end - 1;
          } else if (end < n && glob.charAt(end) == '/') {
            // "**/" matches zero or more whole segments, so "a/**/b" matches "a/b".
            re.append("(?:.*/)?");
            i = end;
          } else {
            re.append(".*");
            i = end - 1;
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> i = appendClass(glob, i, re);
        case '{' -> {
          if (braces) {
            depth++;
            re.append("(?:");
          } else {
            appendLiteral(re, c);
          }
        }
        case ',' -> {
          if (braces && depth > 0) {
            re.append('|');
          } else {
            appendLiteral(re, c);
          }
        }
        case '}' -> {
          if (braces && depth > 0) {
            depth--;
            re.append(')');
          } else {
            appendLiteral(re, c);
          }
        }
        default -> appendLiteral(re, c);
      }
    }
    if (depth > 0) {
      throw malformed(glob, "has an unclosed '{'; close it with '}' or escape it as '\\{'");
    }
    return re.toString();
  }

  private static boolean isSegmentStart(String glob, int i, boolean inBraces) {
    if (i == 0) {
      return true;
    }
    char prev = glob.charAt(i - 1);
    return prev == '/' || (inBraces && (prev == '{' || prev == ','));
  }

  private static boolean isSegmentEnd(String glob, int end, boolean inBraces) {
    if (end == glob.length()) {
      return true;
    }
    char next = glob.charAt(end);
    return next == '/' || (inBraces && (next == ',' || next == '}'));
  }

  /** Appends a bracket expression starting at {@code start}; returns the index of its ']'. */
  private static int appendClass(String glob, int start, StringBuilder re) {
    int n = glob.length();
    int i = start + 1;
    boolean negated = i < n && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
    if (negated) {
      i++;
    }
    StringBuilder cls = new StringBuilder(negated ? "[^/" : "[");
    int first = i;
    for (; i < n; i++) {
      char c = glob.charAt(i);
      if (c == ']' && i > first) {
        re.append(cls).append(']');
        return i;
      }
      if (c == '-' && i > first && i + 1 < n && glob.charAt(i + 1) != ']') {
        cls.append('-');
        continue;
      }
      if (c == '\\' && i + 1 < n) {
        c = glob.charAt(++i);
      }
      appendLiteral(cls, c);
    }
    throw malformed(glob, "has an unclosed '['; close it with ']' or escape it as '\\['");
  }

  private static void appendLiteral(StringBuilder re, char c) {
    if (Character.isLetterOrDigit(c) || c == '/' || Character.isSurrogate(c)) {
      re.append(c);
    } else {
      // A backslash before any non-alphabetic character is a literal in java.util.regex.
      re.append('\\').append(c);
    }
  }

  static IllegalArgumentException malformed(String glob, String reason) {
    return new IllegalArgumentException("Glob pattern '" + glob + "' " + reason);
  }
}
