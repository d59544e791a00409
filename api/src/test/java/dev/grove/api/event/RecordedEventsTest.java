package dev.grove.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The event records against the wire: {@code src/test/resources/events/*.jsonl} are event streams
 * recorded from the daemon before events were records (exec deploys that succeed, fail, are
 * cancelled or join another run, status, delete, a watch, the shop deployed to the sandbox with and
 * without its pull secret, and gaps). Each line, decoded into the records and encoded by a plain
 * {@link ObjectMapper} (as the daemon's {@code JsonCodec} is), comes out byte for byte.
 *
 * <p>Payloads the old code built with {@code Map.of} (log, deployStatus, warning, fileChanged and
 * the actionStatus of a run joining another's) had their fields in an order that changed with each
 * daemon start ({@code Map.of} iterates from a per-JVM random seed): a recording holds one of those
 * orders. The records write them in the order docs/API.md gives, so for these the test compares the
 * recording with its payload fields in that order (the same fields, the same bytes otherwise).
 */
class RecordedEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyRecordedEventDecodesIntoItsRecordAndEncodesToTheSameBytes() throws Exception {
    List<Path> recordings = recordings();
    assertThat(recordings).hasSizeGreaterThanOrEqualTo(10);
    Set<String> types = new TreeSet<>();
    int lines = 0;
    for (Path recording : recordings) {
      for (String line : Files.readAllLines(recording, StandardCharsets.UTF_8)) {
        Event event = decode(line);
        types.add(event.type());
        String encoded = JSON.writeValueAsString(event);
        assertThat(encoded)
            .as("%s: %s", recording.getFileName(), line)
            .isEqualTo(inRecordOrder(line, encoded));
        lines++;
      }
    }
    assertThat(lines).isGreaterThan(300);
    // all types: gap from the daemon's own EventBus and JsonCodec, the others from daemon runs
    assertThat(types)
        .containsExactlyInAnyOrder(
            EventTypes.RUN_STARTED,
            EventTypes.GRAPH_RESOLVED,
            EventTypes.ACTION_STATUS,
            EventTypes.LOG,
            EventTypes.IMAGE_PUSHED,
            EventTypes.ROLLOUT_PROGRESS,
            EventTypes.DEPLOY_STATUS,
            EventTypes.WARNING,
            EventTypes.RUN_FINISHED,
            EventTypes.GAP,
            EventTypes.FILE_CHANGED,
            EventTypes.WATCH_TRIGGERED,
            EventTypes.WATCH_ERROR,
            EventTypes.WATCH_STOPPED);
  }

  @Test
  void recordingsWriteEveryPayloadByTheRecordOfItsType() throws Exception {
    for (Path recording : recordings()) {
      for (String line : Files.readAllLines(recording, StandardCharsets.UTF_8)) {
        Event event = decode(line);
        assertThat(event.payload()).isInstanceOf(EventPayload.recordOf(event.type()));
      }
    }
  }

  @Test
  void aTreeOfTheRecordingEncodesToTheSameBytes() throws Exception {
    // what inRecordOrder relies on: re-encoding a recording as a tree changes nothing
    for (Path recording : recordings()) {
      for (String line : Files.readAllLines(recording, StandardCharsets.UTF_8)) {
        assertThat(JSON.writeValueAsString(JSON.readTree(line))).isEqualTo(line);
      }
    }
  }

  @Test
  void anEventCarriesOnlyThePayloadOfItsType() {
    EventPayload.Log log = new EventPayload.Log("stdout", "hello");
    assertThat(new Event(1, 2, "run-1", null, log).type()).isEqualTo(EventTypes.LOG);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Event(1, 2, "run-1", EventTypes.WARNING, null, log))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTypeOfANewerDaemonHasNoRecord() {
    assertThat(EventPayload.recordOf("somethingNew")).isNull();
  }

  static Event decode(String line) throws IOException {
    JsonNode node = JSON.readTree(line);
    String type = node.get("type").asText();
    Class<? extends EventPayload> record = EventPayload.recordOf(type);
    assertThat(record).as("a record for %s", type).isNotNull();
    JsonNode action = node.get("action");
    return new Event(
        node.get("seq").asLong(),
        node.get("time").asLong(),
        node.get("runId").isNull() ? null : node.get("runId").asText(),
        type,
        action == null ? null : JSON.treeToValue(action, ActionInfo.class),
        JSON.treeToValue(node.get("payload"), record));
  }

  /**
   * The recorded line with its payload's fields in the encoded order, when the old code gave them
   * in a per-daemon order and the field names are the same; else the line as recorded.
   */
  private static String inRecordOrder(String line, String encoded) throws IOException {
    ObjectNode recorded = (ObjectNode) JSON.readTree(line);
    if (!randomOrderBefore(recorded)) {
      return line;
    }
    ObjectNode payload = (ObjectNode) recorded.get("payload");
    JsonNode ours = JSON.readTree(encoded).get("payload");
    if (!names(payload).equals(names(ours))) {
      return line; // different fields: the byte comparison fails and shows them
    }
    ObjectNode reordered = JSON.createObjectNode();
    ours.fieldNames().forEachRemaining(name -> reordered.set(name, payload.get(name)));
    recorded.set("payload", reordered);
    return JSON.writeValueAsString(recorded);
  }

  /** The payloads the old code built with {@code Map.of} (two or more fields). */
  private static boolean randomOrderBefore(ObjectNode event) {
    String type = event.get("type").asText();
    JsonNode payload = event.get("payload");
    return switch (type) {
      case EventTypes.LOG, EventTypes.DEPLOY_STATUS, EventTypes.WARNING, EventTypes.FILE_CHANGED ->
          true;
      case EventTypes.ACTION_STATUS ->
          names(payload).equals(Set.of("state", "reusedFrom")); // joining another run
      default -> false;
    };
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new HashSet<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }

  static List<Path> recordings() throws IOException, URISyntaxException {
    Path folder = Path.of(RecordedEventsTest.class.getResource("/events").toURI());
    try (Stream<Path> files = Files.list(folder)) {
      return new ArrayList<>(
          files.filter(file -> file.toString().endsWith(".jsonl")).sorted().toList());
    }
  }
}
