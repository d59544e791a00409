package dev.grove.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogViewTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private LogView view(OutputMode mode, boolean colour) {
    return new Renderer(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            colour)
        .logView(mode);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void textTagsEachLineWithActionPodAndContainerAndColoursEachPodItsOwnWay() {
    LogView view = view(OutputMode.TEXT, true);
    view.line("2026-11-29T10:00:00.000000001Z", "deploy.web", "web-a", "web", "one");
    view.line("2026-11-29T10:00:00.000000002Z", "deploy.web", "web-b", "web", "two");
    view.line("2026-11-29T10:00:00.000000003Z", "deploy.web", "web-a", "web", "three");

    String[] lines = out().split("\n");
    assertThat(lines[0]).isEqualTo(LogView.PALETTE[0] + "deploy.web web-a web |\u001b[0m one");
    assertThat(lines[1]).isEqualTo(LogView.PALETTE[1] + "deploy.web web-b web |\u001b[0m two");
    assertThat(lines[2]).startsWith(LogView.PALETTE[0]);
    assertThat(view.lines()).isEqualTo(3);
  }

  @Test
  void noColourWhenNoColorIsSetOrOutputIsNotATerminal() {
    assertThat(Renderer.wantsColour(true, Map.of("NO_COLOR", "1"))).isFalse();
    assertThat(Renderer.wantsColour(false, Map.of())).isFalse();
    LogView view = view(OutputMode.TEXT, Renderer.wantsColour(true, Map.of("NO_COLOR", "1")));
    view.line("t", "deploy.api", "api-1", "api", "hello");

    assertThat(out()).isEqualTo("deploy.api api-1 api | hello\n").doesNotContain("\u001b");
  }

  @Test
  void jsonlPrintsOneObjectPerLineWithItsFieldsInOrder() {
    LogView view = view(OutputMode.JSONL, true);
    view.line("2026-11-29T10:00:00.000000001Z", "deploy.api", "api-1", "api", "say \"hi\"");

    assertThat(out())
        .isEqualTo(
            "{\"time\":\"2026-11-29T10:00:00.000000001Z\",\"action\":\"deploy.api\","
                + "\"pod\":\"api-1\",\"container\":\"api\",\"line\":\"say \\\"hi\\\"\"}\n");
  }

  @Test
  void gapsAndNotesGoToStderrSoStdoutHoldsOnlyLogLines() {
    LogView view = view(OutputMode.JSONL, false);
    view.gap(42);
    view.note("deploy.api: pod api-1 is gone");

    assertThat(out()).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("42 log lines were dropped")
        .contains("pod api-1 is gone");
  }

  @Test
  void aClosedStdoutIsNoticedSoTheStreamCanStop() {
    java.io.OutputStream broken =
        new java.io.OutputStream() {
          @Override
          public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("Broken pipe");
          }
        };
    LogView view =
        new Renderer(new PrintStream(broken, true, StandardCharsets.UTF_8), System.err, false)
            .logView(OutputMode.TEXT);
    assertThat(view.outputClosed()).isFalse();
    view.line("t", "deploy.api", "api-1", "api", "hello");
    assertThat(view.outputClosed()).isTrue();
  }
}
