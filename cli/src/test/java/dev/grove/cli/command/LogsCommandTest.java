package dev.grove.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.api.error.ApiError;
import dev.grove.cli.render.LogView;
import dev.grove.cli.render.OutputMode;
import dev.grove.cli.render.Renderer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogsCommandTest {

  @Test
  void sinceTakesDurationsLikeKubectl() {
    assertThat(LogsCommand.seconds("30s")).isEqualTo(30);
    assertThat(LogsCommand.seconds("5m")).isEqualTo(300);
    assertThat(LogsCommand.seconds("1h30m")).isEqualTo(5_400);
    assertThat(LogsCommand.seconds("2d")).isEqualTo(172_800);
    for (String bad : new String[] {"5", "m", "5x", "-5m", "5m 3s", "0s"}) {
      assertThatThrownBy(() -> LogsCommand.seconds(bad))
          .as(bad)
          .isInstanceOf(UsageException.class)
          .hasMessageContaining("--since");
    }
  }

  @Test
  void aSinceTooLongToCountIsAUsageError() {
    for (String huge :
        new String[] {
          "99999999999999999999s", "106751991167301d", "9223372036854775807s", "36501d"
        }) {
      assertThatThrownBy(() -> LogsCommand.seconds(huge))
          .as(huge)
          .isInstanceOf(UsageException.class)
          .hasMessageContaining("too long");
    }
    assertThat(LogsCommand.seconds("36500d")).isEqualTo(36_500L * 86_400L);
  }

  @Test
  void eachMessageOfTheDaemonIsShownOrReportedAsTheError() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    LogView view =
        new Renderer(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false)
            .logView(OutputMode.TEXT);

    ApiError failed =
        LogsCommand.show(
            view,
            "{\"type\":\"line\",\"time\":\"t\",\"action\":\"deploy.api\",\"pod\":\"api-1\","
                + "\"container\":\"api\",\"line\":\"hello\"}",
            null);
    failed = LogsCommand.show(view, "{\"type\":\"gap\",\"missed\":3}", failed);
    failed = LogsCommand.show(view, "{\"type\":\"note\",\"message\":\"new pod api-2\"}", failed);
    assertThat(failed).isNull();
    failed =
        LogsCommand.show(
            view,
            "{\"type\":\"error\",\"error\":{\"code\":\"NOT_DEPLOYED\",\"message\":\"deploy.api"
                + " was never deployed\",\"suggestion\":\"grove deploy api\"}}",
            failed);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("deploy.api api-1 api | hello\n");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("3 log lines were dropped")
        .contains("new pod api-2");
    assertThat(failed.code()).isEqualTo("NOT_DEPLOYED");
    assertThat(ExitCodes.ofCode(failed.code())).isEqualTo(ExitCodes.FAILED);
    assertThat(ExitCodes.ofCode("UNKNOWN_ACTION")).isEqualTo(ExitCodes.BAD_CONFIG_OR_ARGUMENTS);
  }
}
