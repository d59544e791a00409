package dev.grove.actions.run.kube;

import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.kube.PodRunner;
import dev.grove.actions.process.SpecReader;
import dev.grove.actions.process.TailBuffer;
import dev.grove.actions.run.LocalResults;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.KubeContext;
import dev.grove.actions.spi.LogSink;
import dev.grove.actions.spi.RunResult;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Run/kubernetes-exec} and {@code Test/kubernetes-exec}: the command inside a running pod of
 * a deployed workload ({@code resource}: a Deployment, StatefulSet, DaemonSet or Pod by {@code
 * kind} and {@code name}, or a {@code podSelector}), as Garden runs it. Its result is kept for
 * {@code grove get test-result}, never cached: there is no version of the pod to tie it to
 * (Garden's reason too), so it runs every time.
 */
public final class KubernetesExecRunType extends BaseActionType {

  private static final Schema.Obj SPEC =
      Schema.obj()
          .field(
              "resource", Schema.obj().any("kind", "name", "podSelector", "containerName").build())
          .any("command", "namespace")
          .build();

  private static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Pod");

  private final ActionHandler handler;

  public KubernetesExecRunType(ActionKind kind, KubeClients clients) {
    this(kind, KubeCluster.Opener.kubeconfig(clients), Duration.ofSeconds(1));
  }

  /** With its own way to clusters (tests). */
  public KubernetesExecRunType(ActionKind kind, KubeCluster.Opener clusters, Duration poll) {
    super(kind, "kubernetes-exec", SPEC, Set.of("log"));
    this.handler = new Handler(clusters, poll);
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }

  /**
   * The spec.
   *
   * @param kind the workload's kind, or empty with a selector
   * @param name the workload's name, or empty with a selector
   * @param selector the labels of the pods to pick from, when no kind and name
   * @param container the container to run in; empty: the pod's first
   */
  record Spec(
      Optional<String> kind,
      Optional<String> name,
      Map<String, String> selector,
      Optional<String> container,
      List<String> command,
      Optional<String> namespace) {

    static Spec parse(Map<String, Object> spec, String action) throws ActionException {
      SpecReader read = new SpecReader(action);
      String example = "{kind: Deployment, name: api}.";
      Map<String, Object> resource = read.object(spec.get("resource"), "resource", example);
      if (resource.isEmpty()) {
        throw read.missing(
            "resource",
            "it names the workload whose pod runs the command",
            "Set spec.resource, such as {kind: Deployment, name: api}.");
      }
      Optional<String> kind = read.string(resource.get("kind"), "resource.kind", "Deployment.");
      Optional<String> name = read.string(resource.get("name"), "resource.name", "api.");
      Map<String, String> selector =
          read.stringMap(resource.get("podSelector"), "resource.podSelector", "{app: api}.");
      if (kind.isPresent() != name.isPresent() || kind.isPresent() == !selector.isEmpty()) {
        throw read.problem(
            "resource",
            "needs either kind and name, or podSelector (not both)",
            "Set spec.resource to {kind: Deployment, name: api} or {podSelector: {app: api}}.");
      }
      if (kind.isPresent() && !KINDS.contains(kind.get())) {
        throw read.problem(
            "resource.kind",
            "is "
                + kind.get()
                + "; Grove finds pods of "
                + String.join(", ", KINDS.stream().sorted().toList()),
            "Name the workload that runs the pod, such as kind: Deployment.");
      }
      List<String> command = read.strings(spec.get("command"), "command", "[\"npm\", \"test\"].");
      if (command.isEmpty()) {
        throw read.missing(
            "command",
            "it is what runs in the pod",
            "Set spec.command, such as [\"sh\", \"-c\", \"npm test\"].");
      }
      return new Spec(
          kind,
          name,
          selector,
          read.string(resource.get("containerName"), "resource.containerName", "api."),
          command,
          read.string(spec.get("namespace"), "namespace", "my-app."));
    }
  }

  private static final class Handler implements ActionHandler, ActionHandler.ResultReader {
    private final KubeCluster.Opener clusters;
    private final Duration poll;

    Handler(KubeCluster.Opener clusters, Duration poll) {
      this.clusters = clusters;
      this.poll = poll;
    }

    private static Spec spec(ActionContext ctx) throws ActionException {
      return ctx.spec(Spec.class, c -> Spec.parse(c.spec(), c.ref().toString()));
    }

    @Override
    public Optional<RunResult> lastResult(ActionContext ctx) {
      return LocalResults.read(ctx);
    }

    @Override
    public Status status(ActionContext ctx) throws ActionException {
      spec(ctx);
      return Status.notReady("not-ready");
    }

    @Override
    public Outputs process(ActionContext ctx) throws ActionException {
      Spec spec = spec(ctx);
      String namespace =
          spec.namespace().isPresent()
              ? spec.namespace().get()
              : KubeContext.target(ctx).namespace();
      KubeCluster cluster = clusters.open(ctx);
      Pod pod = target(ctx, cluster, spec, namespace);
      String container = spec.container().orElse(pod.getSpec().getContainers().get(0).getName());
      String podName = pod.getMetadata().getName();
      ctx.log()
          .line(LogSink.STDOUT, "grove: running in pod " + podName + ", container " + container);
      TailBuffer kept = new TailBuffer(PodRunner.KEPT_CHARS);
      Instant started = Instant.now();
      int code =
          new PodRunner(cluster, poll)
              .exec(
                  ctx,
                  namespace,
                  podName,
                  container,
                  spec.command(),
                  (stream, line) -> {
                    kept.add(line);
                    ctx.log().line(stream, line);
                  });
      try {
        LocalResults.write(
            ctx, new RunResult(ctx.version(), code, started, Instant.now(), kept.toString()));
      } catch (IOException e) {
        ctx.log()
            .line(
                LogSink.STDERR,
                "grove: could not keep the result in .grove/results: " + e.getMessage());
      }
      if (code != 0) {
        throw PodRunHandler.failed(
            ctx, "`" + String.join(" ", spec.command()) + "`", code, podName, kept.toString());
      }
      return new Outputs(Map.of("log", kept.toString()));
    }

    /** A running, ready pod of the resource (the newest); fails saying what is there instead. */
    private static Pod target(ActionContext ctx, KubeCluster cluster, Spec spec, String namespace)
        throws ActionException {
      String what =
          spec.kind().isPresent()
              ? spec.kind().get() + "/" + spec.name().get()
              : "pods labelled " + spec.selector();
      List<Pod> pods;
      try {
        if (spec.kind().isPresent() && spec.kind().get().equals("Pod")) {
          Pod pod =
              cluster.client().pods().inNamespace(namespace).withName(spec.name().get()).get();
          pods = pod == null ? List.of() : List.of(pod);
        } else {
          Map<String, String> labels = spec.selector();
          if (spec.kind().isPresent()) {
            GenericKubernetesResource workload =
                cluster
                    .client()
                    .genericKubernetesResources("apps/v1", spec.kind().get())
                    .inNamespace(namespace)
                    .withName(spec.name().get())
                    .get();
            if (workload == null) {
              throw notFound(ctx, what, namespace);
            }
            labels = matchLabels(workload);
          }
          pods =
              cluster.client().pods().inNamespace(namespace).withLabels(labels).list().getItems();
        }
      } catch (KubernetesClientException e) {
        throw KubeClients.failure(cluster.target(), "find the pods of " + what, e);
      }
      if (pods.isEmpty()) {
        throw notFound(ctx, what, namespace);
      }
      return pods.stream()
          .filter(Handler::ready)
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
          .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())))
          .orElseThrow(
              () ->
                  new ActionException(
                      ActionCodes.ROLLOUT_FAILED,
                      ctx.ref()
                          + ": no pod of "
                          + what
                          + " in namespace "
                          + namespace
                          + " is running and ready ("
                          + pods.size()
                          + (pods.size() == 1 ? " pod" : " pods")
                          + ", e.g. "
                          + pods.get(0).getMetadata().getName()
                          + " "
                          + (pods.get(0).getStatus() == null
                              ? "without status"
                              : pods.get(0).getStatus().getPhase())
                          + ").",
                      "Deploy it first (`grove deploy`), and make the action depend on that"
                          + " Deploy so that it waits for it."));
    }

    private static boolean ready(Pod pod) {
      return pod.getStatus() != null
          && "Running".equals(pod.getStatus().getPhase())
          && pod.getStatus().getConditions() != null
          && pod.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> matchLabels(GenericKubernetesResource workload) {
      Map<String, String> labels = new LinkedHashMap<>();
      if (workload.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
          && spec.get("selector") instanceof Map<?, ?> selector
          && selector.get("matchLabels") instanceof Map<?, ?> match) {
        ((Map<Object, Object>) match)
            .forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
      }
      return labels;
    }

    private static ActionException notFound(ActionContext ctx, String what, String namespace) {
      return new ActionException(
          ActionCodes.ROLLOUT_FAILED,
          ctx.ref() + ": " + what + " is not in namespace " + namespace + " (no pod to run in).",
          "Deploy it first (`grove deploy`); make the action depend on the Deploy that creates it"
              + " (dependencies: [deploy.NAME]) so that it waits for it, as in Garden.");
    }
  }
}
