package dev.grove.actions.deploy.container;

import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Deploy/container}: a Deployment (+ Service, Ingresses) generated from the spec. */
public final class ContainerDeployType extends BaseActionType {

  private static final Schema.Obj LIMITS = Schema.obj().any("min", "max").build();

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "image",
              "command",
              "args",
              "env",
              "volumes",
              "privileged",
              "addCapabilities",
              "dropCapabilities",
              "tty",
              "deploymentStrategy",
              "annotations",
              "daemon",
              "replicas",
              "timeout")
          .field("cpu", LIMITS)
          .field("memory", LIMITS)
          .field(
              "ingresses",
              Schema.listOf(
                  Schema.obj().any("path", "port", "hostname", "annotations", "linkUrl").build()))
          .field(
              "healthCheck",
              Schema.obj()
                  .field("httpGet", Schema.obj().any("path", "port", "scheme").build())
                  .any("command", "tcpPort", "readinessTimeoutSeconds", "livenessTimeoutSeconds")
                  .build())
          .field(
              "ports",
              Schema.listOf(
                  Schema.obj()
                      .any(
                          "name",
                          "protocol",
                          "containerPort",
                          "servicePort",
                          "nodePort",
                          "hostPort")
                      .build()))
          .notActedOn("sync", "localMode", "limits")
          .build();

  private final ActionHandler handler;

  /**
   * @param clients how its handler reaches clusters
   */
  public ContainerDeployType(dev.grove.actions.kube.KubeClients clients) {
    super(ActionKind.DEPLOY, "container", SPEC, Set.of("deployedImageId"));
    this.handler =
        new ContainerDeployHandler(
            dev.grove.actions.kube.KubeCluster.Opener.kubeconfig(clients),
            java.time.Duration.ofSeconds(1));
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }
}
