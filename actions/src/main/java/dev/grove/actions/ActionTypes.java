package dev.grove.actions;

import dev.grove.actions.build.container.ContainerBuildType;
import dev.grove.actions.build.exec.ExecBuildType;
import dev.grove.actions.deploy.container.ContainerDeployType;
import dev.grove.actions.deploy.exec.ExecDeployType;
import dev.grove.actions.deploy.kubernetes.KubernetesDeployType;
import dev.grove.actions.run.ContainerRunType;
import dev.grove.actions.run.ExecRunType;
import dev.grove.actions.spi.ActionType;
import dev.grove.api.action.ActionKind;
import java.util.List;
import java.util.Optional;

/** The one explicit list of built-in action types: exactly one per (kind, type). */
public final class ActionTypes {

  private static final List<ActionType> BUILTIN =
      List.of(
          new ContainerBuildType(),
          new ExecBuildType(),
          new ContainerDeployType(),
          new KubernetesDeployType(),
          new ExecDeployType(),
          new ExecRunType(ActionKind.RUN),
          new ContainerRunType(ActionKind.RUN),
          new ExecRunType(ActionKind.TEST),
          new ContainerRunType(ActionKind.TEST));

  private ActionTypes() {}

  public static List<ActionType> builtin() {
    return BUILTIN;
  }

  public static Optional<ActionType> find(ActionKind kind, String type) {
    return BUILTIN.stream().filter(t -> t.kind() == kind && t.type().equals(type)).findFirst();
  }

  /** The type names known for a kind, for error messages. */
  public static List<String> typesOf(ActionKind kind) {
    return BUILTIN.stream().filter(t -> t.kind() == kind).map(ActionType::type).toList();
  }
}
