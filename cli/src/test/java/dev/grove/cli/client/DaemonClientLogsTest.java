package dev.grove.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.grove.api.http.DaemonInfo;
import dev.grove.api.logs.LogsRequest;
import dev.grove.cli.command.ExitCodes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code grove logs} ends, by the daemon's close frame. */
class DaemonClientLogsTest {
  private static final LogsRequest REQUEST = new LogsRequest(null, List.of(), false, null, null);

  private static Throwable logsEndingWith(byte[] close, List<String> got) throws Exception {
    try (ScriptedWebSocketServer server =
        new ScriptedWebSocketServer(
            true, ScriptedWebSocketServer.text("{\"type\":\"note\"}"), close)) {
      DaemonClient client = new DaemonClient(new DaemonInfo(server.port(), 1, "t", "b"));
      return catchThrowable(() -> client.logs(REQUEST, got::add));
    }
  }

  @Test
  void aNormalCloseEndsTheStream() throws Exception {
    List<String> got = new ArrayList<>();
    assertThat(logsEndingWith(ScriptedWebSocketServer.close(1000, ""), got)).isNull();
    assertThat(got).hasSize(1);
  }

  @Test
  void theDaemonGoingAwayIsAnErrorThatExits3() throws Exception {
    List<String> got = new ArrayList<>();
    Throwable failure = logsEndingWith(ScriptedWebSocketServer.close(1001, "shutting down"), got);

    assertThat(got).hasSize(1);
    assertThat(failure)
        .isInstanceOf(DaemonUnreachableException.class)
        .hasMessageContaining("went away")
        .hasMessageContaining("shutting down");
    assertThat(ExitCodes.of(failure)).isEqualTo(ExitCodes.DAEMON_UNREACHABLE);
  }

  @Test
  void anInternalErrorExits3AndATooLargeRequestExits2() throws Exception {
    Throwable internal =
        logsEndingWith(ScriptedWebSocketServer.close(1011, "boom"), new ArrayList<>());
    assertThat(ExitCodes.of(internal)).isEqualTo(ExitCodes.DAEMON_UNREACHABLE);
    assertThat(internal).hasMessageContaining("internal error");

    Throwable tooLarge = logsEndingWith(ScriptedWebSocketServer.close(1009, ""), new ArrayList<>());
    assertThat(ExitCodes.of(tooLarge)).isEqualTo(ExitCodes.BAD_CONFIG_OR_ARGUMENTS);
  }
}
