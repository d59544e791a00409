package dev.grove.actions.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {

  @Test
  void splitsStampedLinesAcrossWritesAndKeepsTheKubeletsNanoseconds() {
    List<String> got = new ArrayList<>();
    LogLines.Splitter splitter =
        new LogLines.Splitter((time, text) -> got.add(LogLines.format(time) + "|" + text));
    byte[] bytes =
        ("2026-11-29T10:00:00.123456789Z hello wörld\r\n2026-11-29T10:00:01.5Z sec"
                + "ond\nnot stamped\n2026-11-29T10:00:02Z last")
            .getBytes(StandardCharsets.UTF_8);
    splitter.write(bytes, 0, 40);
    splitter.write(bytes, 40, bytes.length - 40);
    splitter.close();

    assertThat(got.get(0)).isEqualTo("2026-11-29T10:00:00.123456789Z|hello wörld");
    assertThat(got.get(1)).isEqualTo("2026-11-29T10:00:01.500000000Z|second");
    assertThat(got.get(2)).endsWith("|not stamped");
    assertThat(got.get(3)).isEqualTo("2026-11-29T10:00:02.000000000Z|last");
  }

  @Test
  void aLineWithoutAStampGetsTheFallbackTime() {
    Instant fallback = Instant.parse("2026-01-01T00:00:00Z");
    List<Instant> times = new ArrayList<>();
    LogLines.parse("plain text", fallback, (time, text) -> times.add(time));
    assertThat(times).containsExactly(fallback);
  }

  private static final String FORBIDDEN =
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          + "\"message\":\"pods \\\"web-1\\\" is forbidden: User \\\"dev\\\" cannot get resource"
          + " \\\"pods/log\\\"\",\"reason\":\"Forbidden\",\"code\":403}";

  @Test
  void aStatusObjectIsTheApisAnswerNotALogLine() {
    assertThat(LogLines.apiStatus(FORBIDDEN))
        .contains(
            "pods \"web-1\" is forbidden: User \"dev\" cannot get resource \"pods/log\" (HTTP 403)");
    assertThat(LogLines.apiStatus("2026-11-29T10:00:00Z {\"kind\":\"Status\"}")).isEmpty();
    assertThat(LogLines.apiStatus("{\"kind\":\"Pod\",\"x\":\"Status\"}")).isEmpty();
    assertThat(LogLines.apiStatus("{not json \"Status\"")).isEmpty();
  }

  @Test
  void aStreamWhoseFirstLineIsRefusedIsDroppedWhole() {
    List<String> got = new ArrayList<>();
    LogLines.Splitter splitter =
        new LogLines.Splitter(
            (time, text) -> got.add(text), first -> LogLines.apiStatus(first).isEmpty());
    byte[] bytes = (FORBIDDEN + "\n").getBytes(StandardCharsets.UTF_8);
    splitter.write(bytes, 0, bytes.length);
    splitter.close();

    assertThat(got).isEmpty();
  }

  @Test
  void anEndlessLineIsCutInto64KiBPiecesThatKeepItsTimeAndItsCharacters() {
    List<String> texts = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    LogLines.Splitter splitter =
        new LogLines.Splitter(
            (time, text) -> {
              times.add(time);
              texts.add(text);
            });
    String body = "é".repeat(100_000); // two bytes each: 200,000 bytes
    byte[] bytes = ("2026-11-29T10:00:00Z " + body).getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at < bytes.length; at += 7_777) {
      splitter.write(bytes, at, Math.min(7_777, bytes.length - at));
    }
    splitter.write('\n');

    assertThat(texts).hasSizeGreaterThan(2);
    assertThat(texts)
        .allSatisfy(
            text ->
                assertThat(text.getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(LogLines.Splitter.MAX_LINE));
    assertThat(String.join("", texts)).isEqualTo(body);
    assertThat(times).containsOnly(Instant.parse("2026-11-29T10:00:00Z"));
  }
}
