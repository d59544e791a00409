package dev.grove.orchestrator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.error.ErrorCodes;
import dev.grove.orchestrator.error.GroveException;
import io.vertx.ext.web.handler.HttpException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ApiFailureHandlerTest {
  private final ApiFailureHandler handler =
      new ApiFailureHandler(Path.of("/home/u/.grove/daemon.log"));

  @Test
  void mapsEachErrorCodeToItsStatus() {
    assertThat(ApiFailureHandler.statusOf(ErrorCodes.CONFIG_INVALID)).isEqualTo(422);
    assertThat(ApiFailureHandler.statusOf(ErrorCodes.PROJECT_NOT_FOUND)).isEqualTo(404);
    assertThat(ApiFailureHandler.statusOf(ErrorCodes.BAD_REQUEST)).isEqualTo(400);
    assertThat(ApiFailureHandler.statusOf(ErrorCodes.UNAUTHORIZED)).isEqualTo(401);
    assertThat(ApiFailureHandler.statusOf(ErrorCodes.NOT_FOUND)).isEqualTo(404);
    assertThat(ApiFailureHandler.statusOf(ErrorCodes.INTERNAL)).isEqualTo(500);
  }

  @Test
  void keepsTheErrorOfAGroveException() {
    var reply =
        handler.replyFor(new GroveException(ErrorCodes.PROJECT_NOT_FOUND, "none", "make one"), -1);
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.error().message()).isEqualTo("none");
  }

  @Test
  void turnsAnUnexpectedExceptionIntoAnInternalErrorNamingTheLog() {
    var reply = handler.replyFor(new IllegalStateException("secret detail"), -1);
    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.error().code()).isEqualTo(ErrorCodes.INTERNAL);
    assertThat(reply.error().message()).contains("bug in Grove").doesNotContain("secret detail");
    assertThat(reply.error().suggestion()).contains("/home/u/.grove/daemon.log");
  }

  @Test
  void answersAnOversizedBodyWith413BadRequest() {
    var reply = handler.replyFor(new HttpException(413), 413);
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.error().code()).isEqualTo(ErrorCodes.BAD_REQUEST);
  }
}
