package dev.grove.actions.run.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.process.TestContexts;
import dev.grove.actions.run.LocalResults;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecRunTypeTest {

  @TempDir Path source;

  @org.junit.jupiter.api.BeforeEach
  void sourceFolder() throws java.io.IOException {
    // the action's folder; the project root (where .grove/results goes) is the temp folder
    java.nio.file.Files.createDirectories(source.resolve("src"));
  }

  @Test
  void aRunRunsItsCommandEveryTimeATestOnlyUntilItsVersionPassed() throws Exception {
    for (ActionKind kind : List.of(ActionKind.RUN, ActionKind.TEST)) {
      TestContexts contexts = new TestContexts(source.resolve("src"));
      ActionHandler handler = new ExecRunType(kind, new ProcessRunner()).handler();
      Map<String, Object> spec =
          Map.of("command", List.of("echo", "$GROVE_ACTION_KIND"), "shell", true);

      assertThat(handler).isInstanceOf(ExecRunHandler.class);
      assertThat(handler.status(contexts.context(kind, "smoke", spec)))
          .isEqualTo(ActionHandler.Status.notReady("not-ready"));
      assertThat(handler.process(contexts.context(kind, "smoke", spec)).values())
          .containsEntry("stdout", kind.refPrefix());
      ActionHandler.Status after = handler.status(contexts.context(kind, "smoke", spec));
      if (kind == ActionKind.RUN) {
        assertThat(after).isEqualTo(ActionHandler.Status.notReady("not-ready"));
      } else {
        assertThat(after.ready()).as(after.toString()).isTrue();
        assertThat(after.detail())
            .startsWith("passed ")
            .endsWith(" at this version; --force runs it again");
        assertThat(after.outputs().get("log").toString()).contains("test");
      }
    }
    assertThat(LocalResults.read(source.resolve(".grove/results/test.smoke.json")))
        .hasValueSatisfying(
            result -> {
              assertThat(result.version()).isEqualTo("v-0123456789");
              assertThat(result.passed()).isTrue();
              assertThat(result.finishedAt()).isAfterOrEqualTo(result.startedAt());
            });
    assertThat(LocalResults.read(source.resolve(".grove/results/run.smoke.json")))
        .as("a Run's result is kept too (grove get run-result), though it does not make it ready")
        .isPresent();
  }

  @Test
  void aPassedTestRunsAgainForAnotherVersionAndAFailureIsKeptButNotReady() throws Exception {
    ActionHandler handler = new ExecRunType(ActionKind.TEST, new ProcessRunner()).handler();
    Map<String, Object> passing = Map.of("command", "echo ok");
    handler.process(test("v-1", passing));
    assertThat(handler.status(test("v-1", passing)).ready()).isTrue();
    assertThat(handler.status(test("v-2", passing)))
        .isEqualTo(ActionHandler.Status.notReady("outdated"));

    Map<String, Object> failing = Map.of("command", "echo 1 failed; exit 3");
    try {
      handler.process(test("v-2", failing));
      throw new AssertionError("expected COMMAND_FAILED");
    } catch (ActionException e) {
      assertThat(e.getMessage()).contains("code 3");
    }
    assertThat(LocalResults.read(source.resolve(".grove/results/test.unit.json")))
        .hasValueSatisfying(
            result -> {
              assertThat(result.exitCode()).isEqualTo(3);
              assertThat(result.version()).isEqualTo("v-2");
              assertThat(result.log()).contains("1 failed");
            });
    assertThat(handler.status(test("v-2", failing)))
        .isEqualTo(ActionHandler.Status.notReady("outdated"));
    assertThat(handler.status(test("v-1", passing)))
        .as("the last result counts: v-1 passed before v-2 failed")
        .isEqualTo(ActionHandler.Status.notReady("outdated"));
  }

  @Test
  void anUnreadableResultIsAsIfThereWereNone() throws Exception {
    java.nio.file.Files.createDirectories(source.resolve(".grove/results"));
    java.nio.file.Files.writeString(source.resolve(".grove/results/test.unit.json"), "{torn");
    ActionHandler handler = new ExecRunType(ActionKind.TEST, new ProcessRunner()).handler();
    assertThat(handler.status(test("v-1", Map.of("command", "true"))))
        .isEqualTo(ActionHandler.Status.notReady("not-ready"));
  }

  @Test
  void aRunWhoseStatusCommandSucceedsIsReady() throws Exception {
    TestContexts contexts = new TestContexts(source.resolve("src"));
    ActionHandler handler = new ExecRunType(ActionKind.RUN, new ProcessRunner()).handler();
    assertThat(
            handler
                .status(
                    contexts.context(
                        ActionKind.RUN,
                        "migrate",
                        Map.of("command", "exit 1", "statusCommand", "echo migrated")))
                .ready())
        .isTrue();
    assertThat(
            handler.status(
                contexts.context(
                    ActionKind.RUN,
                    "migrate",
                    Map.of("command", "exit 1", "statusCommand", "exit 1"))))
        .isEqualTo(ActionHandler.Status.notReady("outdated"));
  }

  @Test
  void artifactsAreCopiedKeepingTheirPathsEvenWhenTheTestFails() throws Exception {
    ActionHandler handler = new ExecRunType(ActionKind.TEST, new ProcessRunner()).handler();
    Map<String, Object> spec =
        Map.of(
            "command",
            "mkdir -p reports/unit && echo '<testsuite/>' > reports/unit/a.xml && echo x > b.log;"
                + " exit 1",
            "artifacts",
            List.of(
                Map.of("source", "reports/**/*.xml", "target", "unit"), Map.of("source", "*.log")));
    try {
      handler.process(test("v-1", spec));
      throw new AssertionError("expected COMMAND_FAILED");
    } catch (ActionException expected) {
      // the reports of a failed Test are what one looks at
    }
    assertThat(source.resolve(".grove/artifacts/unit/reports/unit/a.xml"))
        .hasContent("<testsuite/>");
    assertThat(source.resolve(".grove/artifacts/b.log")).hasContent("x");
  }

  @Test
  void anArtifactPathThatLeavesItsFolderIsAnInvalidSpec() {
    ActionHandler handler = new ExecRunType(ActionKind.TEST, new ProcessRunner()).handler();
    for (Map<String, Object> artifact :
        List.<Map<String, Object>>of(
            Map.of("source", "../secrets/*"),
            Map.of("source", "a", "target", "../../etc"),
            Map.of("target", "x"))) {
      try {
        handler.process(test("v-1", Map.of("command", "true", "artifacts", List.of(artifact))));
        throw new AssertionError("expected INVALID_SPEC for " + artifact);
      } catch (ActionException e) {
        assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
        assertThat(e.getMessage()).contains("test.unit", "spec.artifacts[0]");
      }
    }
  }

  private ActionContext test(String version, Map<String, Object> spec) {
    return ActionContext.builder(ActionRef.of(ActionKind.TEST, "unit"), "exec", version)
        .spec(spec)
        .dirs(source.resolve("src"), source)
        .env(TestContexts.CLI_ENV)
        .timeout(java.time.Duration.ofSeconds(10))
        .log((stream, text) -> {})
        .cancellation(new dev.grove.actions.spi.Cancellation())
        .build();
  }

  @Test
  void aFailingTestFailsWithItsExitCode() {
    TestContexts contexts = new TestContexts(source.resolve("src"));
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
    TestContexts contexts = new TestContexts(source.resolve("src"));
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
