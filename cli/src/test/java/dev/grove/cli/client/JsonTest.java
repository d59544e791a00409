package dev.grove.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.api.action.ActionSummary;
import dev.grove.api.error.ApiError;
import dev.grove.api.error.Location;
import dev.grove.api.error.Problem;
import dev.grove.api.http.DaemonInfo;
import dev.grove.api.project.ProjectSummary;
import dev.grove.cli.TestJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's JSON codec writes and reads the api records exactly as Jackson does. */
class JsonTest {
  private static final ProjectSummary SUMMARY =
      new ProjectSummary(
          "shop",
          "dev",
          List.of(
              new ActionSummary(
                  "deploy.web",
                  "Deploy",
                  "container",
                  "web",
                  "v-0123456789",
                  List.of("build.web"),
                  false)),
          List.of(
              new Problem("W", "a \"quoted\"\nwarning", null, new Location("a.yml", 1, 2, null))));

  @Test
  void writesRecordsLikeJackson() throws Exception {
    assertThat(Json.write(SUMMARY)).isEqualTo(TestJson.MAPPER.writeValueAsString(SUMMARY));
    ApiError error = ApiError.of("CONFIG_INVALID", "bad", null);
    assertThat(Json.write(error)).isEqualTo(TestJson.MAPPER.writeValueAsString(error));
  }

  @Test
  void readsWhatJacksonWrites() throws Exception {
    String json = TestJson.MAPPER.writeValueAsString(SUMMARY);
    assertThat(Json.read(json, ProjectSummary.class)).isEqualTo(SUMMARY);
    DaemonInfo info = new DaemonInfo(4242, 17, "t0k3n", "abc");
    assertThat(Json.read(TestJson.MAPPER.writeValueAsString(info), DaemonInfo.class))
        .isEqualTo(info);
  }

  @Test
  void parsesEveryJsonValueKind() {
    Object value =
        Json.parse("{\"a\": [1, 2.5, -3e2, true, false, null, \"x\\u0041\\n\"], \"b\": {}}");
    assertThat(value)
        .isEqualTo(
            Map.of(
                "a",
                java.util.Arrays.asList(1L, 2.5, -300.0, true, false, null, "xA\n"),
                "b",
                Map.of()));
  }

  @Test
  void malformedJsonIsAnErrorWithTheOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\": [1, }"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset");
    assertThatThrownBy(() -> Json.parse("{\"a\": 1} x"))
        .hasMessageContaining("after the JSON value");
  }
}
