package dev.grove.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.event.Event;
import dev.grove.api.event.EventPayload;
import dev.grove.api.run.ActionState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CLI reads the daemon's events into the api's records without losing a field: each line of the
 * event streams recorded from the daemon (the api module's {@code events/*.jsonl}, see its {@code
 * RecordedEventsTest}), read by {@link Json#event} and written back by {@link Json#write}, is the
 * line again (payloads the old daemon wrote in a per-start order compared in the records' order).
 */
class JsonEventTest {
  private static final Path RECORDINGS = Path.of("..", "api", "src", "test", "resources", "events");

  @Test
  void everyRecordedEventReadsIntoItsRecordAndWritesBackTheSameLine() throws Exception {
    List<Path> recordings;
    try (Stream<Path> files = Files.list(RECORDINGS)) {
      recordings = files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
    assertThat(recordings).hasSizeGreaterThanOrEqualTo(10);
    int lines = 0;
    for (Path recording : recordings) {
      for (String line : Files.readAllLines(recording, StandardCharsets.UTF_8)) {
        Map<?, ?> parsed = (Map<?, ?>) Json.parse(line);
        Event event = Json.event(parsed);
        assertThat(event).as("%s: %s", recording.getFileName(), line).isNotNull();
        String written = Json.write(event);
        assertThat(written)
            .as(recording.getFileName().toString())
            .isEqualTo(expected(parsed, line));
        lines++;
      }
    }
    assertThat(lines).isGreaterThan(300);
  }

  @Test
  void aTypeOfANewerDaemonOrAPayloadThatDoesNotFitIsNoEvent() {
    assertThat(event("{\"seq\":1,\"time\":2,\"runId\":\"r\",\"type\":\"new\",\"payload\":{}}"))
        .isNull();
    assertThat(
            event(
                "{\"seq\":1,\"time\":2,\"runId\":\"r\",\"type\":\"actionStatus\","
                    + "\"payload\":{\"state\":\"someNewState\"}}"))
        .isNull();
    assertThat(event("{\"seq\":1,\"time\":2,\"runId\":\"r\",\"type\":\"log\"}")).isNull();
  }

  @Test
  void readsTheStateAndLeavesAbsentFieldsNull() {
    Event event =
        event(
            "{\"seq\":3,\"time\":4,\"runId\":\"r\",\"type\":\"actionStatus\",\"action\":"
                + "{\"ref\":\"build.api\",\"kind\":\"Build\",\"name\":\"api\",\"version\":\"v-1\"},"
                + "\"payload\":{\"state\":\"processing\",\"detail\":\"outdated\"}}");
    assertThat(event.action().ref()).isEqualTo("build.api");
    assertThat(event.payload())
        .isEqualTo(EventPayload.ActionStatus.withDetail(ActionState.PROCESSING, "outdated"));
  }

  private static Event event(String line) {
    return Json.event((Map<?, ?>) Json.parse(line));
  }

  /** The line, its payload's fields in the written order where the old daemon's was random. */
  private static String expected(Map<?, ?> recorded, String line) {
    Map<?, ?> payload = (Map<?, ?>) recorded.get("payload");
    boolean randomBefore =
        switch (String.valueOf(recorded.get("type"))) {
          case "log", "deployStatus", "warning", "fileChanged" -> true;
          case "actionStatus" -> payload.keySet().equals(Set.of("state", "reusedFrom"));
          default -> false;
        };
    if (!randomBefore) {
      return line;
    }
    Map<?, ?> ours =
        (Map<?, ?>) ((Map<?, ?>) Json.parse(Json.write(Json.event(recorded)))).get("payload");
    Map<Object, Object> reordered = new LinkedHashMap<>();
    ours.keySet().forEach(key -> reordered.put(key, payload.get(key)));
    Map<Object, Object> event = new LinkedHashMap<>(recorded);
    event.put("payload", reordered);
    return Json.write(event);
  }
}
