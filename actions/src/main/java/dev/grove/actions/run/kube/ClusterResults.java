package dev.grove.actions.run.kube;

import dev.grove.actions.kube.GroveLabels;
import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.run.LocalResults;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.RunResult;
import dev.grove.api.action.ActionRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The last result of each in-cluster Test and Run, kept in the cluster (as Garden keeps its test
 * results in ConfigMaps) so that a teammate's or CI's pass at the same version counts too: one
 * ConfigMap per action, {@code grove-result.<kind>.<name>}, in the action's namespace, labelled
 * with the action. The project's {@code .grove/results} file (see {@link LocalResults}) is the
 * fallback when the cluster has none or cannot be read.
 */
public final class ClusterResults {
  /** The ConfigMap's key holding the result, in {@link LocalResults}' JSON. */
  static final String KEY = "result.json";

  private ClusterResults() {}

  /** The ConfigMap's name: {@code grove-result.test.unit} (a DNS subdomain: lower case). */
  public static String name(ActionRef ref) {
    String name =
        ("grove-result." + ref.kind().name() + "." + ref.name())
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9.-]", "-");
    return name.length() > 253 ? name.substring(0, 253) : name;
  }

  /** The action's result in the cluster; empty when there is none or it cannot be read. */
  public static Optional<RunResult> read(KubeCluster cluster, String namespace, ActionRef ref) {
    try {
      ConfigMap map =
          cluster.client().configMaps().inNamespace(namespace).withName(name(ref)).get();
      if (map == null || map.getData() == null || map.getData().get(KEY) == null) {
        return Optional.empty();
      }
      return LocalResults.fromJson(map.getData().get(KEY));
    } catch (KubernetesClientException e) {
      return Optional.empty(); // RBAC without ConfigMaps, a namespace not there yet: no result
    }
  }

  /** Keeps the action's result in the cluster (server-side apply: the newest wins). */
  public static void write(
      KubeCluster cluster, String namespace, ActionContext ctx, RunResult result)
      throws IOException {
    Map<String, String> labels =
        dev.grove.actions.kube.PodRunner.labels(ctx.ref().name(), ctx.ref().toString());
    ConfigMap map =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name(ctx.ref()))
            .withNamespace(namespace)
            .withLabels(labels)
            .addToAnnotations(GroveLabels.VERSION, result.version())
            .endMetadata()
            .addToData(KEY, LocalResults.json(ctx, result))
            .build();
    try {
      cluster
          .client()
          .configMaps()
          .inNamespace(namespace)
          .resource(map)
          .fieldManager("grove")
          .forceConflicts()
          .serverSideApply();
    } catch (KubernetesClientException e) {
      throw new IOException(
          "could not keep it in ConfigMap "
              + name(ctx.ref())
              + " of namespace "
              + namespace
              + ": "
              + (e.getStatus() != null && e.getStatus().getMessage() != null
                  ? e.getStatus().getMessage()
                  : e.getMessage()),
          e);
    }
  }
}
