package dev.grove.actions.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.process.TestContexts;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.api.action.ActionKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecRunTypeTest {

  @TempDir Path source;

  @Test
  void runAndTestActionsRunTheirCommandEveryTime() throws Exception {
    for (ActionKind kind : List.of(ActionKind.RUN, ActionKind.TEST)) {
      TestContexts contexts = new TestContexts(source);
      ActionHandler handler = new ExecRunType(kind, new ProcessRunner()).handler();
      Map<String, Object> spec =
          Map.of("command", List.of("echo", "$GROVE_ACTION_KIND"), "shell", true);

      assertThat(handler).isInstanceOf(ExecRunHandler.class);
      assertThat(handler.status(contexts.context(kind, "smoke", spec)))
          .isEqualTo(ActionHandler.Status.notReady("not-ready"));
      assertThat(handler.process(contexts.context(kind, "smoke", spec)).values())
          .containsEntry("stdout", kind.refPrefix());
    }
  }

  @Test
  void aFailingTestFailsWithItsExitCode() {
    TestContexts contexts = new TestContexts(source);
    ActionHandler handler = new ExecRunType(ActionKind.TEST, new ProcessRunner()).handler();

    try {
      handler.process(
          contexts.context(ActionKind.TEST, "unit", Map.of("command", "echo 2 failed; exit 1")));
    } catch (ActionException e) {
      assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_FAILED);
      assertThat(e.getMessage()).contains("test.unit", "code 1", "2 failed");
      return;
    }
    throw new AssertionError("expected COMMAND_FAILED");
  }

  @Test
  void aMissingCommandIsAnInvalidSpec() {
    TestContexts contexts = new TestContexts(source);
    ActionHandler handler = new ExecRunType(ActionKind.RUN, new ProcessRunner()).handler();

    try {
      handler.process(contexts.context(ActionKind.RUN, "seed", Map.of("command", List.of())));
    } catch (ActionException e) {
      assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
      assertThat(e.getMessage()).contains("run.seed", "spec.command");
      return;
    }
    throw new AssertionError("expected INVALID_SPEC");
  }
}
