package dev.grove.actions;

import dev.grove.actions.build.container.ContainerBuildType;
import dev.grove.actions.build.exec.ExecBuildType;
import dev.grove.actions.deploy.container.ContainerDeployType;
import dev.grove.actions.deploy.exec.ExecDeployType;
import dev.grove.actions.deploy.helm.HelmDeployType;
import dev.grove.actions.deploy.kubernetes.KubernetesDeployType;
import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.run.exec.ExecRunType;
import dev.grove.actions.run.kube.ContainerRunType;
import dev.grove.actions.run.kube.HelmPodRunType;
import dev.grove.actions.run.kube.KubernetesExecRunType;
import dev.grove.actions.run.kube.KubernetesPodRunType;
import dev.grove.actions.spi.ActionTypeRegistry;
import dev.grove.api.action.ActionKind;
import java.util.List;

/**
 * The one explicit list of built-in action types: exactly one per (kind, type). The composition
 * root builds their registry once and passes it on; tests may build one with types of their own.
 */
public final class ActionTypes {

  private ActionTypes() {}

  /**
   * A registry of the built-in types, with handlers of its own.
   *
   * @param clients how Kubernetes Deploys reach their clusters
   * @param processes where persistent exec Deploys keep running
   * @param runner runs the commands of exec actions and the docker CLI
   * @param helm Helm's operations, for helm Deploys (the daemon's {@code HelmProcess}: its worker
   *     starts on the first Helm call, so projects without helm actions never start it)
   */
  public static ActionTypeRegistry standard(
      KubeClients clients, PersistentProcesses processes, ProcessRunner runner, HelmOps helm) {
    return new ActionTypeRegistry(
        List.of(
            new ContainerBuildType(runner),
            new ExecBuildType(runner),
            new ContainerDeployType(clients),
            new KubernetesDeployType(clients),
            new HelmDeployType(helm, clients),
            new ExecDeployType(processes, runner),
            new ExecRunType(ActionKind.RUN, runner),
            new ContainerRunType(ActionKind.RUN, clients),
            new ExecRunType(ActionKind.TEST, runner),
            new ContainerRunType(ActionKind.TEST, clients),
            new KubernetesExecRunType(ActionKind.RUN, clients),
            new KubernetesExecRunType(ActionKind.TEST, clients),
            new KubernetesPodRunType(ActionKind.RUN, clients, runner),
            new KubernetesPodRunType(ActionKind.TEST, clients, runner),
            new HelmPodRunType(ActionKind.RUN, helm, clients),
            new HelmPodRunType(ActionKind.TEST, helm, clients)));
  }
}
