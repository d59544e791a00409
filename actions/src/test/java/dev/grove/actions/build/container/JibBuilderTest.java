package dev.grove.actions.build.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.spi.ActionCodes;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class JibBuilderTest {
  private static final JibBuilder.Registry TARGET =
      new JibBuilder.Registry("127.0.0.1:5000/shop/web:v1", "grove", "s3cret", true);

  @Test
  void colourCodesAndSecretsNeverReachALine() {
    String line =
        "\u001b[1m\u001b[31mPUT failed\u001b[0m for grove:s3cret, Authorization: Bearer abc.def";

    assertThat(JibBuilder.scrub(line, TARGET))
        .isEqualTo("PUT failed for grove:***, Authorization: Bearer ***");
  }

  @Test
  void aFailureMessageHasNoColourCodes() {
    var failure =
        JibBuilder.failure(
            new java.io.IOException(
                "\u001b[33mI/O error\u001b[0m", new ConnectException("Connection refused")),
            TARGET);

    assertThat(failure.code()).isEqualTo(ActionCodes.REGISTRY_UNREACHABLE);
    assertThat(failure.getMessage()).doesNotContain("\u001b").contains("127.0.0.1:5000");
  }
}
