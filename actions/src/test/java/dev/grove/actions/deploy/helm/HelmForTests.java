package dev.grove.actions.deploy.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.grove.actions.helm.UnwiredHelm;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real Helm (helm-java) in the test JVM, for what these tests need: {@code template}, offline. The
 * daemon's {@code LocalHelm} replaces it once merged; the cluster operations answer {@code
 * HELM_UNAVAILABLE} (a test overrides {@code status} to play a release).
 */
class HelmForTests extends UnwiredHelm {

  @Override
  public String template(
      ChartRef chart,
      String releaseName,
      String namespace,
      Values values,
      List<RegistryLogin> logins,
      Bounds bounds)
      throws ActionException {
    Path valuesFile = null;
    try {
      TemplateCommand command =
          new Helm(Path.of(chart.chart()))
              .template()
              .withName(releaseName)
              .withNamespace(namespace);
      for (Path file : values.valueFiles()) {
        command = command.withValuesFile(file);
      }
      if (!values.valuesYaml().isBlank()) {
        valuesFile = Files.createTempFile("grove-helm-values-", ".yaml");
        Files.writeString(valuesFile, values.valuesYaml());
        command = command.withValuesFile(valuesFile);
      }
      return command.call();
    } catch (IOException e) {
      throw new ActionException(ActionCodes.HELM_FAILED, e.getMessage(), "Check /tmp.");
    } catch (IllegalStateException e) {
      throw new ActionException(
          ActionCodes.HELM_FAILED, e.getMessage(), "Fix the chart or its values.");
    } finally {
      if (valuesFile != null) {
        try {
          Files.deleteIfExists(valuesFile);
        } catch (IOException e) {
          // a temporary file left behind
        }
      }
    }
  }
}
