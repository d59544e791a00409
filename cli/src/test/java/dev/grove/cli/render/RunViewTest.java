package dev.grove.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RunViewTest {
  @Test
  void plainLinesShowWhenTheEventHappenedNotWhenItWasShown() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunView view =
        new RunView(
            new PrintStream(out, true, StandardCharsets.UTF_8), OutputMode.TEXT, false, false);
    long then = Instant.parse("2026-01-02T03:04:05Z").toEpochMilli();

    view.event(
        "{\"seq\":1,\"time\":"
            + then
            + ",\"runId\":\"r\",\"type\":\"log\",\"action\":{\"ref\":\"build.api\",\"kind\":\"Build\","
            + "\"name\":\"api\",\"version\":\"v-1\"},\"payload\":{\"stream\":\"stdout\",\"line\":\"hi\"}}");

    String expected =
        LocalTime.ofInstant(Instant.ofEpochMilli(then), ZoneId.systemDefault())
            .format(DateTimeFormatter.ofPattern("HH:mm:ss"));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected + " build.api | hi\n");
  }

  @Test
  void aStatusRunSaysWhichActionsAreNotReadyAndWhy() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunView view =
        new RunView(
            new PrintStream(out, true, StandardCharsets.UTF_8), OutputMode.TEXT, false, false);
    String action =
        "\"action\":{\"ref\":\"deploy.api\",\"kind\":\"Deploy\",\"name\":\"api\",\"version\":\"v-1\"}";
    view.event(
        "{\"seq\":1,\"time\":1,\"runId\":\"r\",\"type\":\"actionStatus\","
            + action
            + ",\"payload\":{\"state\":\"checking\"}}");
    view.event(
        "{\"seq\":2,\"time\":2,\"runId\":\"r\",\"type\":\"actionStatus\","
            + action
            + ",\"payload\":{\"state\":\"pending\",\"detail\":\"outdated\"}}");
    String web =
        "\"action\":{\"ref\":\"deploy.web\",\"kind\":\"Deploy\",\"name\":\"web\",\"version\":\"v-2\"}";
    view.event(
        "{\"seq\":3,\"time\":3,\"runId\":\"r\",\"type\":\"actionStatus\","
            + web
            + ",\"payload\":{\"state\":\"ready\",\"detail\":\"ready\",\"durationMs\":3}}");
    view.event(
        "{\"seq\":4,\"time\":3,\"runId\":\"r\",\"type\":\"runFinished\",\"payload\":"
            + "{\"runId\":\"r\",\"result\":\"succeeded\",\"actions\":[{\"ref\":\"deploy.api\","
            + "\"state\":\"pending\",\"version\":\"v-1\",\"durationMs\":5}]}}");
    view.finish();

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("deploy.api pending (outdated)\n")
        .contains("r succeeded: 0 succeeded, 0 ready, 1 not ready\n")
        .contains("  deploy.api pending: outdated\n")
        .contains("deploy.web ready (0.0 s)\n")
        .doesNotContain("ready (ready)");
  }
}
