package dev.grove.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.project.ProjectSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendererTest {
  @Test
  void colourOnlyOnATerminalWithoutNoColour() {
    assertThat(Renderer.wantsColour(true, Map.of())).isTrue();
    assertThat(Renderer.wantsColour(false, Map.of())).isFalse();
    assertThat(Renderer.wantsColour(true, Map.of("NO_COLOR", "1"))).isFalse();
    assertThat(Renderer.wantsColour(true, Map.of("NO_COLOR", ""))).isTrue();
    assertThat(Renderer.wantsColour(true, Map.of("TERM", "dumb"))).isFalse();
  }

  @Test
  void paintsTheTickOnlyWithColour() {
    ProjectSummary summary = new ProjectSummary("shop", null, List.of(), List.of());
    assertThat(render(summary, true)).contains("\u001b[32m✔\u001b[0m");
    assertThat(render(summary, false)).isEqualTo("✔ project shop: 0 actions OK\n");
  }

  private static String render(ProjectSummary summary, boolean colour) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    new Renderer(stream, stream, colour).validated(summary, OutputMode.TEXT);
    return out.toString(StandardCharsets.UTF_8);
  }
}
