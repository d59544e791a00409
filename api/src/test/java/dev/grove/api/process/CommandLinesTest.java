package dev.grove.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommandLinesTest {
  @Test
  void aCommandLineLongerThanAPageIsReadWhole() throws Exception {
    String marker = "x".repeat(9_000); // as long as a daemon's class path; the JDK answers nothing
    Process process = new ProcessBuilder("sh", "-c", "sleep 30; true", "sh", marker).start();
    try {
      assertThat(CommandLines.of(process.pid()))
          .containsExactly("sh", "-c", "sleep 30; true", "sh", marker);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aProcessThatIsGoneHasNoCommandLine() {
    assertThat(CommandLines.of(Long.MAX_VALUE)).isEmpty();
  }
}
