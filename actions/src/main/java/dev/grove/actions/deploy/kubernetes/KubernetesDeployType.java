package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Deploy/kubernetes}: the user's manifests plus patches. {@code files} is Garden 0.13's name
 * of {@code manifestTemplates}; {@code imagePullSecrets: provider} is Grove's opt-in injection of
 * the provider's pull secrets.
 */
public final class KubernetesDeployType extends BaseActionType {

  /** The spec keys that name manifest files, templated ({@code files}, ...) or not. */
  public static final List<String> FILE_KEYS =
      List.of("files", "manifestTemplates", "manifestFiles");

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "manifests",
              "files",
              "manifestTemplates",
              "manifestFiles",
              "namespace",
              "waitForJobs",
              "applyArgs",
              "timeout",
              "imagePullSecrets")
          .field("kustomize", Schema.obj().any("path", "version", "extraArgs").build())
          .field(
              "patchResources",
              Schema.listOf(Schema.obj().any("kind", "name", "strategy", "patch").build()))
          .field(
              "defaultTarget",
              Schema.obj().any("kind", "name", "podSelector", "containerName").build())
          .notActedOn("portForwards", "sync", "localMode")
          .build();

  private final ActionHandler handler;

  /**
   * @param clients how its handler reaches clusters
   */
  public KubernetesDeployType(dev.grove.actions.kube.KubeClients clients) {
    super(ActionKind.DEPLOY, "kubernetes", SPEC, Set.of());
    this.handler =
        new KubernetesDeployHandler(
            dev.grove.actions.kube.KubeCluster.Opener.kubeconfig(clients),
            new dev.grove.actions.registry.RegistryCredentials(),
            new KustomizeBuild(new dev.grove.actions.process.ProcessRunner()),
            java.time.Duration.ofSeconds(1));
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }

  /**
   * Garden counts only the manifest files (and the kustomize folder) as a {@code kubernetes}
   * Deploy's sources when it has no {@code include}.
   */
  @Override
  public Optional<List<String>> defaultIncludes(Map<String, Object> spec) {
    List<String> includes = new ArrayList<>();
    for (String key : FILE_KEYS) {
      if (spec.get(key) instanceof List<?> files) {
        for (Object file : files) {
          if (file instanceof String path) {
            includes.add(path);
          }
        }
      }
    }
    if (spec.get("kustomize") instanceof Map<?, ?> kustomize
        && kustomize.get("path") instanceof String path) {
      includes.add(path.endsWith("/") ? path + "**" : path + "/**");
    }
    return Optional.of(includes);
  }
}
