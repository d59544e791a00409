package dev.grove.actions.run.kube;

import dev.grove.actions.kube.GroveLabels;
import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.kube.KubeDeployer;
import dev.grove.actions.kube.PodRunner;
import dev.grove.actions.process.ActionCommands;
import dev.grove.actions.provider.SecretRef;
import dev.grove.actions.run.Artifacts;
import dev.grove.actions.run.LocalResults;
import dev.grove.actions.run.RunResults;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.KubeContext;
import dev.grove.actions.spi.LogSink;
import dev.grove.actions.spi.RunResult;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a Test or Run in a pod of its own ({@code container}, {@code kubernetes-pod}, {@code
 * helm-pod}), as Garden does: the pod spec comes from the type, Grove adds the rest (name, labels,
 * {@code restartPolicy: Never}, the provider's pull secrets), runs it with {@link PodRunner} and
 * keeps its result by version in the cluster and in the project ({@code cacheResult}). A result
 * that passed at the action's version makes it ready: it does not run again until {@code --force}.
 */
abstract class PodRunHandler implements ActionHandler, ActionHandler.ResultReader {
  /** The pod's main container, as Garden names it. */
  static final String MAIN = "main";

  private final KubeCluster.Opener clusters;
  private final Duration poll;

  PodRunHandler(KubeCluster.Opener clusters, Duration poll) {
    this.clusters = clusters;
    this.poll = poll;
  }

  /**
   * What one run needs from the type's spec.
   *
   * @param namespace the spec's {@code namespace}; empty runs in the provider's app namespace
   * @param copies the artifacts to copy out (sources in the container)
   * @param cacheResult keep the result and skip a passed version ({@code cacheResult}, default on)
   * @param shown the command as the failure names it
   */
  record Options(
      Optional<String> namespace, List<PodRunner.Copy> copies, boolean cacheResult, String shown) {

    /** The options every pod type reads the same way: namespace, artifacts, cacheResult. */
    static Options read(Map<String, Object> spec, String action, String shown)
        throws ActionException {
      return new Options(
          new dev.grove.actions.process.SpecReader(action)
              .string(spec.get("namespace"), "namespace", "my-tests."),
          PodRunHandler.copies(spec, action),
          dev.grove.actions.process.SpecValues.flag(spec, "cacheResult", true, action),
          shown);
    }
  }

  /** The spec's {@code artifacts}, sources in the container. */
  static List<PodRunner.Copy> copies(Map<String, Object> spec, String action)
      throws ActionException {
    List<PodRunner.Copy> copies = new ArrayList<>();
    for (Artifacts artifact : Artifacts.inContainer(spec, action)) {
      copies.add(new PodRunner.Copy(artifact.source(), artifact.target()));
    }
    return copies;
  }

  abstract Options options(ActionContext ctx) throws ActionException;

  /**
   * The pod's spec (a {@code PodSpec} as maps): its first container runs the command. Grove sets
   * {@code restartPolicy} and {@code imagePullSecrets} after.
   */
  abstract Map<String, Object> podSpec(ActionContext ctx, KubeCluster cluster, String namespace)
      throws ActionException;

  private static String namespace(ActionContext ctx, Options options) throws ActionException {
    return options.namespace().isPresent()
        ? options.namespace().get()
        : KubeContext.target(ctx).namespace();
  }

  /** The results kept of the action: the cluster's first, then this machine's. */
  private List<Optional<RunResult>> kept(ActionContext ctx, Options options) {
    List<Optional<RunResult>> found = new ArrayList<>();
    try {
      found.add(ClusterResults.read(clusters.open(ctx), namespace(ctx, options), ctx.ref()));
    } catch (ActionException unreachable) {
      // the local result decides; running it will say what is wrong with the cluster
    }
    found.add(LocalResults.read(ctx));
    return found;
  }

  @Override
  public Status status(ActionContext ctx) throws ActionException {
    Options options = options(ctx);
    if (!options.cacheResult()) {
      return Status.notReady("not-ready");
    }
    return RunResults.status(ctx, kept(ctx, options));
  }

  /** The newest of the kept results. */
  @Override
  public Optional<RunResult> lastResult(ActionContext ctx) throws ActionException {
    return kept(ctx, options(ctx)).stream()
        .flatMap(Optional::stream)
        .max(java.util.Comparator.comparing(RunResult::finishedAt));
  }

  @Override
  public Outputs process(ActionContext ctx) throws ActionException {
    Options options = options(ctx);
    String namespace = namespace(ctx, options);
    KubeCluster cluster = clusters.open(ctx);
    new KubeDeployer(c -> cluster, poll).prepareNamespaces(ctx, namespace, List.of());
    Pod pod = pod(ctx, cluster, namespace);
    PodRunner.Outcome outcome =
        new PodRunner(cluster, poll)
            .run(
                ctx,
                pod,
                options.copies(),
                Artifacts.root(ctx.projectRoot()),
                dev.grove.actions.spi.RunOptions.of(ctx).keepPods());
    RunResult result =
        new RunResult(
            ctx.version(),
            outcome.exitCode(),
            outcome.startedAt(),
            outcome.finishedAt(),
            outcome.log());
    try {
      LocalResults.write(ctx, result);
    } catch (IOException e) {
      ctx.log()
          .line(
              LogSink.STDERR,
              "grove: could not keep the result in .grove/results: " + e.getMessage());
    }
    if (options.cacheResult()) {
      try {
        ClusterResults.write(cluster, namespace, ctx, result);
      } catch (IOException e) {
        ctx.log()
            .line(
                LogSink.STDERR,
                "grove: the result is kept on this machine only: " + e.getMessage());
      }
    }
    if (!outcome.succeeded()) {
      throw failed(
          ctx, options.shown(), outcome.exitCode(), pod.getMetadata().getName(), outcome.log());
    }
    return new Outputs(Map.of("log", outcome.log()));
  }

  /** A command in a pod that exited non-zero: the exit code, the pod and its last lines. */
  static ActionException failed(
      ActionContext ctx, String shown, int exitCode, String pod, String output) {
    return ActionCommands.exited(
        ctx,
        shown + " exited with code " + exitCode + " in pod " + pod,
        output,
        "Read its output above (`grove get "
            + ctx.ref().kind().name().toLowerCase(Locale.ROOT)
            + "-result "
            + ctx.ref().name()
            + "`), fix the cause and run it again.");
  }

  /** The pod of one run: the type's spec with Grove's name, labels and settings. */
  private Pod pod(ActionContext ctx, KubeCluster cluster, String namespace) throws ActionException {
    Map<String, Object> spec = new LinkedHashMap<>(podSpec(ctx, cluster, namespace));
    spec.put("restartPolicy", "Never");
    List<SecretRef> secrets = KubeContext.of(ctx).kubernetes().imagePullSecrets();
    if (!secrets.isEmpty()) {
      // as Garden: the provider's pull secrets (copied into the namespace) replace the spec's
      List<Object> refs = new ArrayList<>();
      secrets.forEach(secret -> refs.add(Map.of("name", secret.name())));
      spec.put("imagePullSecrets", refs);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", podName(ctx));
    metadata.put("namespace", namespace);
    metadata.put("labels", GroveLabels.of(ctx.ref().name(), ctx.ref().toString()));
    metadata.put("annotations", Map.of(GroveLabels.VERSION, ctx.version()));
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.put("metadata", metadata);
    pod.put("spec", spec);
    try {
      return cluster.client().getKubernetesSerialization().convertValue(pod, Pod.class);
    } catch (IllegalArgumentException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          ctx.ref() + ": its pod spec is not a Kubernetes PodSpec: " + e.getMessage(),
          "Fix the pod spec (field names and types as in `kubectl explain pod.spec`).");
    }
  }

  /** Garden's pod names: {@code test-unit-<random>}, within the 63 characters of a label. */
  static String podName(ActionContext ctx) {
    String prefix =
        (ctx.ref().kind().name() + "-" + ctx.ref().name())
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-");
    if (prefix.length() > 50) {
      prefix = prefix.substring(0, 50);
    }
    return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }
}
