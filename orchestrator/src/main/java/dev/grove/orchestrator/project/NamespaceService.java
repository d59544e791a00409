package dev.grove.orchestrator.project;

import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.cleanup.CleanupNamespaceRequest;
import dev.grove.api.cleanup.CleanupNamespaceResult;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;

/** {@code grove cleanup namespace}: deletes the app namespace. Blocking: a worker pool's. */
public final class NamespaceService {
  private final ProjectService projects;
  private final KubeClients clients;

  public NamespaceService(ProjectService projects, KubeClients clients) {
    this.projects = projects;
    this.clients = clients;
  }

  public CleanupNamespaceResult cleanup(CleanupNamespaceRequest request) {
    LoadedProject project = projects.load(request.project());
    String namespace = project.project().appNamespace();
    try {
      KubeConfigResolver.Target target =
          clients.resolve(
              project.project().kubernetesOrDefaults(),
              project.project().root(),
              request.project().env(),
              line -> {});
      boolean exists = clients.deleteNamespace(target, namespace, request.dryRun());
      return new CleanupNamespaceResult(
          namespace,
          target.context(),
          target.kubeconfig().toString(),
          exists,
          exists && !request.dryRun());
    } catch (ActionException e) {
      throw new GroveException(e.code(), e.getMessage(), e.suggestion());
    }
  }
}
