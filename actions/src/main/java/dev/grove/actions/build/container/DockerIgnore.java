package dev.grove.actions.build.container;

import dev.grove.api.project.UserFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code .dockerignore} of a build context, simply: glob patterns relative to the context
 * ({@code *}, {@code ?}, {@code [..]}, {@code **} across folders), {@code !} to re-include, the
 * last matching pattern wins, and a pattern that matches a folder matches everything below it.
 */
public final class DockerIgnore {
  private record Rule(Pattern pattern, boolean include) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Reads {@code context/.dockerignore}; none means nothing is ignored. */
  public static DockerIgnore of(Path context) throws IOException {
    Path file = context.resolve(".dockerignore");
    return Files.exists(file) ? parse(UserFiles.readText(file)) : new DockerIgnore(List.of());
  }

  public static DockerIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean include = line.startsWith("!");
      String glob = clean(include ? line.substring(1).strip() : line);
      if (glob.isEmpty()) {
        continue;
      }
      rules.add(new Rule(Pattern.compile(regex(glob)), include));
    }
    return new DockerIgnore(rules);
  }

  /** Whether {@code relative} (slash-separated, relative to the context) is left out. */
  public boolean ignores(String relative) {
    String path = clean(relative);
    boolean ignored = false;
    for (Rule rule : rules) {
      if (matchesOrParentMatches(rule.pattern(), path)) {
        ignored = !rule.include();
      }
    }
    return ignored;
  }

  private static boolean matchesOrParentMatches(Pattern pattern, String path) {
    if (pattern.matcher(path).matches()) {
      return true;
    }
    for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      if (pattern.matcher(path.substring(0, slash)).matches()) {
        return true;
      }
    }
    return false;
  }

  private static String clean(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("/") || p.startsWith("./")) {
      p = p.startsWith("/") ? p.substring(1) : p.substring(2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.replaceAll("/+", "/").replaceAll("(^|/)\\.(/|$)", "$1");
  }

  /** A Go-style glob as a regex; {@code **} spans folders. */
  static String regex(String glob) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        i++;
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
          i++;
          out.append("(?:.*/)?");
        } else {
          out.append(".*");
        }
      } else if (c == '*') {
        out.append("[^/]*");
      } else if (c == '?') {
        out.append("[^/]");
      } else if (c == '[') {
        int end = glob.indexOf(']', i + 1);
        if (end < 0) {
          out.append("\\[");
        } else {
          String set = glob.substring(i + 1, end);
          if (set.startsWith("^") || set.startsWith("!")) {
            set = "^" + set.substring(1);
          }
          out.append('[').append(set.replace("\\", "\\\\")).append(']');
          i = end;
        }
      } else if (c == '\\' && i + 1 < glob.length()) {
        out.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
      } else {
        out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return out.toString();
  }
}
