package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.api.error.ErrorCodes;
import dev.grove.orchestrator.config.ConfigCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Error and warning codes reach users and the wire, so each module keeps them in one class of
 * documented constants (api's {@link ErrorCodes}, the orchestrator's {@link ConfigCodes}, the
 * actions' {@link ActionCodes}) and docs/API.md names every one. This scans every module's main
 * sources: a code literal anywhere else fails, naming the file and line.
 */
class CodeLiteralsTest {

  private static final List<Class<?>> CODE_CLASSES =
      List.of(ErrorCodes.class, ConfigCodes.class, ActionCodes.class);

  /** SCREAMING_SNAKE literals that are names of environment variables Grove reads or sets. */
  private static final Set<String> ENVIRONMENT_VARIABLES =
      Set.of(
          "GROVE_HOME",
          "GROVE_ACTION_VERSION",
          "GROVE_ACTION_NAME",
          "GROVE_ACTION_KIND",
          "GROVE_PROJECT_ROOT",
          "GROVE_DAEMON_CLASSPATH",
          "GROVE_DAEMON_JAVA_OPTS",
          "GROVE_SANDBOX_TOKEN",
          "GROVE_SANDBOX_CONTAINERS",
          "GROVE_SANDBOX_RUNTIME",
          "GROVE_SANDBOX_REGISTRY_PASSWORD",
          "HELM_CONFIG_HOME", // Helm's folders, pointed into GROVE_HOME for its worker
          "HELM_CACHE_HOME",
          "HELM_DATA_HOME",
          "HELM_REGISTRY_CONFIG",
          "HELM_REPOSITORY_CONFIG",
          "HELM_REPOSITORY_CACHE",
          "GARDEN_ACTION_VERSION",
          "GARDEN_MODULE_VERSION",
          "POD_HOST_IP",
          "POD_IP",
          "POD_NAME",
          "POD_NAMESPACE",
          "POD_NODE_NAME",
          "POD_SERVICE_ACCOUNT",
          "POD_UID",
          "DOCKER_CONFIG",
          "WAYLAND_DISPLAY", // a desktop session: grove dashboard opens a browser
          "GOOGLE_APPLICATION_CREDENTIALS",
          "CLOUDSDK_CONFIG",
          "NO_COLOR",
          "REGISTRY_HTTP_ADDR",
          "REGISTRY_AUTH",
          "REGISTRY_AUTH_HTPASSWD_REALM",
          "REGISTRY_AUTH_HTPASSWD_PATH",
          "REGISTRY_STORAGE_DELETE_ENABLED",
          "TESTCONTAINERS_RYUK_DISABLED",
          "TESTCONTAINERS_REUSE_ENABLE",
          "GIT_TERMINAL_PROMPT",
          "GIT_SSH_COMMAND",
          "GCM_INTERACTIVE",
          // not a variable, but git's name for what a fetch got
          "FETCH_HEAD");

  /** A literal shaped like a code: {@code "KUBE_UNREACHABLE"}. */
  private static final Pattern SNAKE = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");

  /** Any upper-case word given as the code of an error, problem or warning: {@code "ABORTED"}. */
  private static final Pattern CODE_ARGUMENT =
      Pattern.compile(
          "(?:new \\w*(?:Exception|Error|Problem|Warning)|ApiError\\.of|Problems\\.at)"
              + "\\(\\s*\"([A-Z][A-Z0-9_]*)\"");

  @Test
  void codesAreLiteralsOnlyInTheirModulesCodeClass() throws IOException {
    Path root = repositoryRoot();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> root.relativize(f).toString().contains("src/main/java/"))
              .filter(f -> !root.relativize(f).toString().contains("/target/"))
              .filter(f -> CODE_CLASSES.stream().noneMatch(c -> f.endsWith(sourcePath(c))))
              .sorted()
              .toList()) {
        found.addAll(codeLiterals(root, file));
      }
    }
    assertThat(found)
        .as(
            "Codes live in api's ErrorCodes, the orchestrator's ConfigCodes or the actions'"
                + " ActionCodes; use the constant (add one, documented, and name it in"
                + " docs/API.md). An environment variable's name goes into ENVIRONMENT_VARIABLES.")
        .isEmpty();
  }

  @Test
  void eachCodeIsDefinedOnceAndNamedInTheApiDocs() throws IOException {
    String apiDocs = Files.readString(repositoryRoot().resolve("docs/API.md"));
    Map<String, String> owners = new HashMap<>();
    for (Class<?> codes : CODE_CLASSES) {
      for (Field field : codes.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers()) || field.getType() != String.class) {
          continue;
        }
        String value = value(field);
        assertThat(value)
            .as(codes.getSimpleName() + "." + field.getName())
            .isEqualTo(field.getName());
        assertThat(owners.put(value, codes.getSimpleName())).as("%s defined twice", value).isNull();
        assertThat(apiDocs).as("docs/API.md names " + value).contains("`" + value + "`");
      }
    }
  }

  /** The code literals of one file, as {@code path:line: literal}. */
  static List<String> codeLiterals(Path root, Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> found = new ArrayList<>();
    for (Pattern pattern : List.of(SNAKE, CODE_ARGUMENT)) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        if (pattern == SNAKE && ENVIRONMENT_VARIABLES.contains(m.group(1))) {
          continue;
        }
        int line = (int) text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count() + 1;
        String at = root.relativize(file) + ":" + line + ": \"" + m.group(1) + "\"";
        if (!found.contains(at)) {
          found.add(at);
        }
      }
    }
    return found;
  }

  private static String sourcePath(Class<?> type) {
    return type.getName().replace('.', '/') + ".java";
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The checkout's root: the nearest folder upward that holds docs/API.md. */
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("docs/API.md"))) {
      dir = dir.getParent();
      assertThat(dir).as("docs/API.md above the working directory").isNotNull();
    }
    return dir;
  }
}
