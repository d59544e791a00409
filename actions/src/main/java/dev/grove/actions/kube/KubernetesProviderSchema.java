package dev.grove.actions.kube;

import dev.grove.actions.spi.Schema;

/** The fields of the {@code kubernetes} provider (and Garden's {@code local-kubernetes}). */
public final class KubernetesProviderSchema {

  private static final Schema.Obj SECRET_REF = Schema.obj().any("name", "namespace").build();

  public static final Schema.Obj SCHEMA =
      Schema.obj()
          .any(
              "name",
              "environments",
              "dependencies",
              "context",
              "kubeconfig",
              "namespace",
              "buildMode",
              "defaultHostname",
              "ingressClass",
              "setupIngressController",
              "ingressHttpPort",
              "ingressHttpsPort",
              "deploymentStrategy")
          .field(
              "deploymentRegistry",
              Schema.obj()
                  .any("hostname", "port", "namespace", "insecure", "createRepository")
                  .build())
          .field("imagePullSecrets", Schema.listOf(SECRET_REF))
          .field("copySecrets", Schema.listOf(SECRET_REF))
          .notActedOn(
              "tlsCertificates",
              "certManager",
              "resources",
              "storage",
              "kaniko",
              "clusterBuildkit",
              "jib",
              "systemNodeSelector",
              "gardenSystemNamespace",
              "sync",
              "utilImageRegistryDomain")
          .build();

  /** Providers that need no fields beyond their name and environments. */
  public static final Schema.Obj PLAIN =
      Schema.obj().any("name", "environments", "dependencies").build();

  private KubernetesProviderSchema() {}
}
