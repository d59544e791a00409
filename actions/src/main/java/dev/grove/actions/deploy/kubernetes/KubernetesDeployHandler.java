package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.kube.SecretCopier;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.actions.spi.LogSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code Deploy/kubernetes}: the user's manifests (templated, patched, labelled, pull secrets
 * linted or injected) applied server-side, then the rollout waited for (failing fast). The
 * provider's imagePullSecrets and copySecrets are copied into every namespace the objects use, as
 * Garden does since 0.13.50.
 */
final class KubernetesDeployHandler
    implements ActionHandler,
        ActionHandler.Renderer,
        dev.grove.actions.spi.Cleanable,
        dev.grove.actions.kube.Workloads {
  private final KubeCluster.Opener clusters;
  private final RegistryCredentials credentials;
  private final Duration pollInterval;

  KubernetesDeployHandler(
      KubeCluster.Opener clusters, RegistryCredentials credentials, Duration pollInterval) {
    this.clusters = clusters;
    this.credentials = credentials;
    this.pollInterval = pollInterval;
  }

  private static KubernetesDeploySpec spec(ActionContext context) throws ActionException {
    return KubernetesDeploySpec.parse(context.spec(), context.ref().toString());
  }

  private static String namespace(ActionContext context, KubernetesDeploySpec spec)
      throws ActionException {
    return spec.namespace().orElse(KubeCluster.deployTarget(context).namespace());
  }

  @Override
  public Found workloads(ActionContext context) throws ActionException {
    return clusters
        .open(context)
        .workloads(context.ref().toString(), namespace(context, spec(context)));
  }

  @Override
  public Status status(ActionContext context) throws ActionException {
    KubernetesDeploySpec spec = spec(context);
    return clusters
        .open(context)
        .status(context, namespace(context, spec), spec.waitForJobs(), pollInterval);
  }

  @Override
  public Rendered render(ActionContext context) throws ActionException {
    DeployTarget target = KubeCluster.deployTarget(context);
    KubernetesDeploySpec spec = spec(context);
    KubernetesManifests.Rendered rendered =
        KubernetesManifests.render(
            context.ref().name(),
            context.version(),
            spec,
            context.sourceDir(),
            namespace(context, spec),
            (document, file, index) ->
                target.templates().resolve(document, file + " document " + (index + 1)),
            pullSecrets(context, target));
    List<Map<String, String>> warnings = new ArrayList<>();
    for (KubernetesManifests.Warning warning : rendered.warnings()) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("code", warning.code());
      entry.put("message", warning.message());
      entry.put("suggestion", warning.suggestion());
      warnings.add(entry);
    }
    return new Rendered(rendered.objects(), warnings);
  }

  private PullSecrets pullSecrets(ActionContext context, DeployTarget target) {
    List<String> registries = new ArrayList<>();
    context
        .registry()
        .ifPresent(
            r -> registries.add(r.port() == null ? r.hostname() : r.hostname() + ":" + r.port()));
    List<String> names =
        SecretCopier.refs(target.provider(), "imagePullSecrets").stream()
            .map(SecretCopier.SecretRef::name)
            .toList();
    return new PullSecrets(
        registries,
        names,
        host -> {
          try {
            return credentials.find(host, context.env()).isPresent();
          } catch (ActionException e) {
            return false; // a broken credential helper: no claim either way
          }
        },
        Set.of());
  }

  @Override
  public Outputs process(ActionContext context) throws ActionException {
    DeployTarget target = KubeCluster.deployTarget(context);
    KubernetesDeploySpec spec = spec(context);
    Rendered rendered = render(context);
    for (Map<String, String> warning : rendered.warnings()) {
      context
          .log()
          .line(
              LogSink.STDERR,
              "warning "
                  + warning.get("code")
                  + ": "
                  + warning.get("message")
                  + "\n  → "
                  + warning.get("suggestion"));
      context
          .events()
          .emit(
              new dev.grove.api.event.EventPayload.Warning(
                  warning.get("code"), warning.get("message"), warning.get("suggestion")));
    }
    String namespace = namespace(context, spec);
    Set<String> namespaces = new LinkedHashSet<>();
    namespaces.add(namespace);
    for (Map<String, Object> object : rendered.objects()) {
      if (object.get("metadata") instanceof Map<?, ?> metadata
          && metadata.get("namespace") instanceof String ns) {
        namespaces.add(ns);
      }
    }
    KubeCluster cluster = clusters.open(context);
    List<SecretCopier.SecretRef> copies =
        new ArrayList<>(SecretCopier.refs(target.provider(), "imagePullSecrets"));
    copies.addAll(SecretCopier.refs(target.provider(), "copySecrets"));
    for (String ns : namespaces) {
      cluster.ensureNamespace(target, ns);
      SecretCopier.copy(cluster.client(), cluster.target(), copies, ns);
    }
    cluster.applyAndWait(context, namespace, rendered.objects(), spec.waitForJobs(), pollInterval);
    return new Outputs(context.outputs());
  }

  /** Deletes what the action's inventory names (and the inventory). */
  @Override
  public void cleanup(ActionContext context) throws ActionException {
    clusters.open(context).deleteAction(context, namespace(context, spec(context)));
  }
}
