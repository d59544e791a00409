package dev.grove.orchestrator.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.project.UserFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads Garden varfiles: {@code .env} (dotenv), {@code .yml/.yaml} and {@code .json}. */
final class VarFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A varfile that exists but cannot be used; the message says why. */
  static final class VarFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String suggestion;

    VarFileException(String message) {
      this(message, "Fix its syntax: KEY=value lines for .env, a map for .yml/.json.");
    }

    VarFileException(String message, String suggestion) {
      super(message);
      this.suggestion = suggestion;
    }

    String suggestion() {
      return suggestion;
    }
  }

  private VarFiles() {}

  /** The variables of the file, or empty when it does not exist. */
  static Optional<Map<String, Object>> read(Path file) throws VarFileException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String name = file.getFileName().toString();
    String text;
    try {
      text = UserFiles.readText(file, UserFiles.MAX_BYTES);
    } catch (UserFiles.UnreadableException e) {
      throw new VarFileException(e.getMessage(), e.suggestion());
    }
    if (name.endsWith(".yml") || name.endsWith(".yaml")) {
      YamlLoader.Result result = YamlLoader.parse(text, file, name);
      if (!result.problems().isEmpty()) {
        throw new VarFileException(result.problems().get(0).message());
      }
      return Optional.of(
          result.documents().isEmpty()
              ? Map.of()
              : new LinkedHashMap<>(result.documents().get(0).content()));
    }
    if (name.endsWith(".json")) {
      try {
        Object value = JSON.readValue(text, Object.class);
        if (value instanceof Map<?, ?> map) {
          Map<String, Object> out = new LinkedHashMap<>();
          map.forEach((k, v) -> out.put(k.toString(), normalizeNumbers(v)));
          return Optional.of(out);
        }
        throw new VarFileException("a JSON varfile must hold one object");
      } catch (IOException e) {
        throw new VarFileException("invalid JSON: " + e.getMessage());
      }
    }
    return Optional.of(parseDotenv(text));
  }

  /** dotenv: {@code KEY=value} lines, {@code #} comments, optional quotes and {@code export}. */
  static Map<String, Object> parseDotenv(String text) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
        if (raw.contains("\"")) {
          value = value.replace("\\n", "\n").replace("\\\"", "\"");
        }
      } else {
        int comment = value.indexOf(" #");
        if (comment >= 0) {
          value = value.substring(0, comment).strip();
        }
      }
      out.put(key, value);
    }
    return out;
  }

  private static Object normalizeNumbers(Object value) {
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k.toString(), normalizeNumbers(v)));
      return out;
    }
    if (value instanceof java.util.List<?> list) {
      return list.stream().map(VarFiles::normalizeNumbers).toList();
    }
    return value;
  }
}
