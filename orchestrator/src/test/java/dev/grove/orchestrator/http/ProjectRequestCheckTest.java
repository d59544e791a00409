package dev.grove.orchestrator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.api.project.ProjectRequest;
import dev.grove.orchestrator.error.GroveException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What DaemonVerticle checks of every project request before it touches a path. */
class ProjectRequestCheckTest {
  private final ApiFailureHandler failures = new ApiFailureHandler(null);

  private int statusOf(ProjectRequest request) {
    try {
      DaemonVerticle.checked(request);
      return 200;
    } catch (GroveException e) {
      return failures.replyFor(e, 500).status();
    }
  }

  @Test
  void aNulByteInTheRootOrCwdIsABadRequest() {
    assertThat(statusOf(new ProjectRequest("/tmp/a\0b", "/tmp", null, Map.of(), Map.of())))
        .isEqualTo(400);
    assertThat(statusOf(new ProjectRequest(null, "/tmp/\0", null, Map.of(), Map.of())))
        .isEqualTo(400);
    assertThatThrownBy(
            () ->
                DaemonVerticle.checked(
                    new ProjectRequest("/tmp/a\0b", "/tmp", null, Map.of(), Map.of())))
        .hasMessageContaining("root holds a NUL byte");
  }

  @Test
  void aVarNameWithAnEmptyPartIsABadRequest() {
    assertThat(statusOf(new ProjectRequest("/tmp", "/tmp", null, Map.of(".", "y"), Map.of())))
        .isEqualTo(400);
    assertThat(statusOf(new ProjectRequest("/tmp", "/tmp", null, Map.of("a.b", "y"), Map.of())))
        .isEqualTo(200);
  }
}
