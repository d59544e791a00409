package dev.grove.orchestrator;

import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.helm.UnwiredHelm;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Helm for the orchestrator's tests: {@code template} of a local chart is real Helm's (helm-java
 * in the test JVM, loaded by the first helm project a test renders); a remote chart prints one
 * ConfigMap named after the release (tests use no network); everything else is unavailable.
 */
public final class FakeHelm {

  /** Renders local charts as described; the rest fails with {@code HELM_UNAVAILABLE}. */
  public static final HelmOps RENDERING = new Rendering();

  private FakeHelm() {}

  private static final class Rendering extends UnwiredHelm {

    @Override
    public String template(
        ChartRef chart,
        String releaseName,
        String namespace,
        Values values,
        List<RegistryLogin> logins,
        Bounds bounds)
        throws ActionException {
      Path dir = Path.of(chart.chart());
      if (!Files.isDirectory(dir)) {
        // a remote chart: one object named after the release
        return "---\n# Source: remote/templates/placeholder.yaml\napiVersion: v1\nkind: ConfigMap\n"
            + "metadata:\n  name: "
            + releaseName
            + "\n";
      }
      Path valuesFile = null;
      try {
        com.marcnuri.helm.TemplateCommand command =
            new com.marcnuri.helm.Helm(dir)
                .template()
                .withName(releaseName)
                .withNamespace(namespace);
        for (Path file : values.valueFiles()) {
          command = command.withValuesFile(file);
        }
        if (!values.valuesYaml().isBlank()) {
          valuesFile = Files.createTempFile("grove-test-values-", ".yaml");
          Files.writeString(valuesFile, values.valuesYaml());
          command = command.withValuesFile(valuesFile);
        }
        return command.call();
      } catch (IOException | IllegalStateException e) {
        throw new ActionException(ActionCodes.HELM_FAILED, e.getMessage(), "Fix the fixture.");
      } finally {
        if (valuesFile != null) {
          try {
            Files.deleteIfExists(valuesFile);
          } catch (IOException e) {
            // left behind in /tmp
          }
        }
      }
    }
  }
}
