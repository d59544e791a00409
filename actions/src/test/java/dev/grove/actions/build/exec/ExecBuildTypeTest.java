package dev.grove.actions.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.process.TestContexts;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.api.action.ActionKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecBuildTypeTest {

  @TempDir Path root;
  private Path source;
  private TestContexts contexts;
  private final ActionHandler handler = new ExecBuildType(new ProcessRunner()).handler();

  @BeforeEach
  void setUp() throws Exception {
    source = Files.createDirectory(root.resolve("api"));
    contexts = new TestContexts(source);
  }

  private ActionHandler.Outputs process(Map<String, Object> spec) throws ActionException {
    return handler.process(contexts.context(ActionKind.BUILD, "api", spec));
  }

  private ActionHandler.Status status(Map<String, Object> spec) throws ActionException {
    return handler.status(contexts.context(ActionKind.BUILD, "api", spec));
  }

  private static ActionException failure(ThrowingCall call) {
    try {
      call.run();
    } catch (ActionException e) {
      return e;
    }
    throw new AssertionError("expected an ActionException");
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws ActionException;
  }

  @Test
  void theTypeReturnsItsExecHandler() {
    assertThat(handler).isInstanceOf(ExecBuildHandler.class);
  }

  @Test
  void processStreamsTheCommandAndReturnsLogStdoutAndStderr() throws Exception {
    ActionHandler.Outputs outputs =
        process(Map.of("command", List.of("sh", "-c", "echo built; echo warn >&2; printf end")));

    assertThat(contexts.lines).containsSubsequence("stdout:built", "stdout:end");
    assertThat(contexts.lines).contains("stderr:warn");
    assertThat(outputs.values())
        .containsEntry("stdout", "built\nend")
        .containsEntry("stderr", "warn")
        .containsKey("log");
    assertThat(outputs.values().get("log").toString().split("\n"))
        .containsExactlyInAnyOrder("built", "warn", "end");
  }

  @Test
  void aNonZeroExitFailsNamingActionCommandExitCodeAndLastStderrLine() {
    ActionException e =
        failure(
            () ->
                process(
                    Map.of(
                        "command", List.of("sh", "-c", "echo early >&2; echo nope >&2; exit 7"))));

    assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_FAILED);
    assertThat(e.getMessage()).contains("build.api", "sh -c", "code 7", "nope");
    assertThat(e.suggestion()).contains("log above");
  }

  @Test
  void aMissingProgramIsNotStarted() {
    ActionException e = failure(() -> process(Map.of("command", List.of("no-such-grove-tool"))));

    assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_NOT_STARTED);
    assertThat(e.getMessage()).contains("no-such-grove-tool", source.toString());
  }

  @Test
  void withoutACommandTheBuildSucceedsDoingNothing() throws Exception {
    assertThat(process(Map.of()).values())
        .containsEntry("log", "")
        .containsEntry("stdout", "")
        .containsEntry("stderr", "");
    assertThat(contexts.lines).isEmpty();
  }

  @Test
  void withoutAStatusCommandItIsNeverReady() throws Exception {
    assertThat(status(Map.of("command", List.of("true"))))
        .isEqualTo(ActionHandler.Status.notReady("not-ready"));
  }

  @Test
  void theStatusCommandExitingZeroMeansReadyAndItsOutputIsStreamed() throws Exception {
    ActionHandler.Status ready =
        status(Map.of("command", List.of("false"), "statusCommand", "echo up to date"));

    assertThat(ready.ready()).isTrue();
    assertThat(ready.detail()).isEqualTo("ready");
    assertThat(contexts.lines).containsExactly("stdout:up to date");
  }

  @Test
  void theStatusCommandExitingNonZeroMeansNotReady() throws Exception {
    ActionHandler.Status status = status(Map.of("statusCommand", List.of("sh", "-c", "exit 1")));

    assertThat(status.ready()).isFalse();
    assertThat(status.detail()).isEqualTo("outdated");
  }

  @Test
  void commandsSeeTheCliEnvSpecEnvAndGroveAndGardenVariables() throws Exception {
    ActionHandler.Outputs outputs =
        process(
            Map.of(
                "command",
                "echo $FROM_CLI $FROM_SPEC $PORT $GROVE_ACTION_VERSION $GARDEN_ACTION_VERSION"
                    + " $GARDEN_MODULE_VERSION $GROVE_ACTION_NAME $GROVE_ACTION_KIND"
                    + " $GROVE_PROJECT_ROOT",
                "env",
                Map.of("FROM_SPEC", "spec", "PORT", 8080, "GROVE_ACTION_NAME", "overridden")));

    assertThat(outputs.values().get("stdout"))
        .isEqualTo(
            "cli spec 8080 v-0123456789 v-0123456789 v-0123456789 api build " + root.toString());
  }

  @Test
  void commandsRunInTheActionsSourceFolder() throws Exception {
    Files.writeString(source.resolve("marker.txt"), "here");

    assertThat(process(Map.of("command", List.of("cat", "marker.txt"))).values())
        .containsEntry("stdout", "here");
  }

  @Test
  void shellModeJoinsTheListAndRunsItWithSh() throws Exception {
    ActionHandler.Outputs outputs =
        process(Map.of("shell", true, "command", List.of("echo", "a", "&&", "echo", "$HOME-x")));

    assertThat(outputs.values().get("stdout")).isEqualTo("a\n-x");
  }

  @Test
  void withoutShellModeTheListIsProgramAndArgumentsVerbatim() throws Exception {
    ActionHandler.Outputs outputs = process(Map.of("command", List.of("echo", "a", "&&", "$HOME")));

    assertThat(outputs.values().get("stdout")).isEqualTo("a && $HOME");
  }

  @Test
  void aCommandOfTheWrongShapeIsAnInvalidSpecNamingTheField() {
    ActionException map = failure(() -> process(Map.of("command", Map.of("run", "make"))));
    ActionException item =
        failure(() -> process(Map.of("command", List.of("make", List.of("all")))));
    ActionException statusCommand = failure(() -> status(Map.of("statusCommand", 3)));
    ActionException env = failure(() -> process(Map.of("env", Map.of("A", Map.of()))));
    ActionException shell = failure(() -> process(Map.of("shell", "yes")));

    assertThat(List.of(map, item, statusCommand, env, shell))
        .allSatisfy(e -> assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC));
    assertThat(map.getMessage()).contains("build.api", "spec.command ");
    assertThat(item.getMessage()).contains("spec.command[1]");
    assertThat(statusCommand.getMessage()).contains("spec.statusCommand");
    assertThat(env.getMessage()).contains("spec.env.A");
    assertThat(shell.getMessage()).contains("spec.shell");
  }
}
