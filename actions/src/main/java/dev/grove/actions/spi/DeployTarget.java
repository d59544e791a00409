package dev.grove.actions.spi;

import java.util.Map;

/**
 * Where a Deploy goes, as the project resolves it for the environment; part of the {@link
 * KubeContext}, beside the kubernetes provider's settings (context, kubeconfig, pull secrets, ...).
 *
 * @param projectName the project's name
 * @param environment the environment's name
 * @param namespace the app namespace: the kubernetes provider's {@code namespace}, else {@code
 *     <project>-<environment's defaultNamespace>}
 * @param production the environment's {@code production} flag
 * @param buildOutputs the outputs of the action's {@code build} (e.g. its {@code
 *     deploymentImageId}); empty without one
 * @param templates resolves templates in manifest files with the action's context
 */
public record DeployTarget(
    String projectName,
    String environment,
    String namespace,
    boolean production,
    Map<String, Object> buildOutputs,
    TreeTemplates templates) {

  public DeployTarget {
    buildOutputs = buildOutputs == null ? Map.of() : Map.copyOf(buildOutputs);
    templates = templates == null ? TreeTemplates.NONE : templates;
  }
}
