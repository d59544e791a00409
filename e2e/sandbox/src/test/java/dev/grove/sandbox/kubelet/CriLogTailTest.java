package dev.grove.sandbox.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.grove.sandbox.cluster.PodLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogTailTest {

  @TempDir Path dir;

  @Test
  void joinsPartialLinesAndKeepsTheRuntimesTimes() throws Exception {
    PodLogs logs = new PodLogs(Clock.systemUTC());
    Path file = dir.resolve("0.log");
    CriLogTail tail = new CriLogTail(file, "ns", "pod", "main", logs);
    tail.poll(); // no file yet: nothing, no error
    Files.writeString(
        file,
        "2026-12-03T23:00:00.123456789Z stdout F hello\n"
            + "2026-12-03T23:00:01.000000000Z stderr P par");
    tail.poll();
    Files.writeString(
        file, "t\n2026-12-03T23:00:01.500000000Z stderr F ial line\n", StandardOpenOption.APPEND);
    tail.poll();
    List<PodLogs.Line> lines = logs.lines("ns", "pod", "main").orElseThrow();
    assertEquals(List.of("hello", "partial line"), lines.stream().map(PodLogs.Line::text).toList());
    assertEquals(Instant.parse("2026-12-03T23:00:00.123456789Z"), lines.get(0).time());
  }

  @Test
  void aRestartKeepsThePreviousRun() {
    PodLogs logs = new PodLogs(Clock.systemUTC());
    logs.restart("ns", "pod", "main");
    logs.append("ns", "pod", "main", "first run");
    logs.restart("ns", "pod", "main");
    logs.append("ns", "pod", "main", "second run");
    assertEquals("first run", logs.previous("ns", "pod", "main").orElseThrow().get(0).text());
    assertEquals("second run", logs.lines("ns", "pod", "main").orElseThrow().get(0).text());
    logs.podGone("ns", "pod");
    assertEquals(true, logs.previous("ns", "pod", "main").isEmpty());
  }
}
