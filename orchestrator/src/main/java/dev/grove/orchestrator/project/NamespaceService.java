package dev.grove.orchestrator.project;

import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.cleanup.CleanupNamespaceRequest;
import dev.grove.api.cleanup.CleanupNamespaceResult;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Function;

/** {@code grove cleanup namespace}: deletes the app namespace. Blocking: a worker pool's. */
public final class NamespaceService {
  private final ProjectService projects;
  private final Function<KubeConfigResolver.Target, KubernetesClient> clients;

  public NamespaceService(
      ProjectService projects, Function<KubeConfigResolver.Target, KubernetesClient> clients) {
    this.projects = projects;
    this.clients = clients;
  }

  public NamespaceService(ProjectService projects) {
    this(projects, KubeClients::client);
  }

  public CleanupNamespaceResult cleanup(CleanupNamespaceRequest request) {
    LoadedProject project = projects.load(request.project());
    String namespace = project.project().appNamespace();
    try {
      KubeConfigResolver.Target target =
          KubeConfigResolver.resolve(
              project.project().kubernetesOrDefaults(),
              project.project().root(),
              request.project().env());
      KubernetesClient client = clients.apply(target);
      boolean exists;
      try {
        exists = client.namespaces().withName(namespace).get() != null;
        if (exists && !request.dryRun()) {
          client.namespaces().withName(namespace).delete();
        }
      } catch (KubernetesClientException e) {
        throw KubeClients.failure(target, "delete the namespace " + namespace, e);
      }
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
