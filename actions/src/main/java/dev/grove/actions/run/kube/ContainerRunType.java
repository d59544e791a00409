package dev.grove.actions.run.kube;

import dev.grove.actions.deploy.container.ContainerDeploySpec;
import dev.grove.actions.deploy.container.ContainerManifests;
import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.KubeContext;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Run/container} and {@code Test/container}: a pod from the action's Build image (or {@code
 * spec.image}) in the provider's namespace, with the container fields of a Deploy ({@code command},
 * {@code args}, {@code env}, {@code cpu}, {@code memory}, {@code volumes}, security), as Garden's
 * kubernetes provider runs them.
 */
public final class ContainerRunType extends BaseActionType {

  /** The keys a container Test or Run shares with a container Deploy. */
  private static final Set<String> CONTAINER_KEYS =
      Set.of(
          "image",
          "command",
          "args",
          "env",
          "cpu",
          "memory",
          "volumes",
          "privileged",
          "addCapabilities",
          "dropCapabilities");

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              java.util.stream.Stream.concat(
                      CONTAINER_KEYS.stream().sorted(),
                      java.util.stream.Stream.of("artifacts", "cacheResult", "namespace"))
                  .toArray(String[]::new))
          .build();

  private final ActionHandler handler;

  public ContainerRunType(ActionKind kind, KubeClients clients) {
    this(kind, KubeCluster.Opener.kubeconfig(clients), Duration.ofSeconds(1));
  }

  /** With its own way to clusters (tests). */
  public ContainerRunType(ActionKind kind, KubeCluster.Opener clusters, Duration poll) {
    super(kind, "container", SPEC, Set.of("log"));
    this.handler = new Handler(clusters, poll);
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }

  /** The spec, read once: the container's fields and the run's options. */
  private record Spec(ContainerDeploySpec container, PodRunHandler.Options options) {}

  private static final class Handler extends PodRunHandler {
    Handler(KubeCluster.Opener clusters, Duration poll) {
      super(clusters, poll);
    }

    private static Spec spec(ActionContext ctx) throws ActionException {
      return ctx.spec(
          Spec.class,
          c -> {
            Map<String, Object> raw = c.spec();
            Map<String, Object> container = new LinkedHashMap<>();
            raw.forEach(
                (key, value) -> {
                  if (CONTAINER_KEYS.contains(key)) {
                    container.put(key, value);
                  }
                });
            String action = c.ref().toString();
            ContainerDeploySpec parsed =
                ContainerDeploySpec.parse(container, action, c.sourceDir());
            List<String> shown = new java.util.ArrayList<>(parsed.command());
            shown.addAll(parsed.args());
            return new Spec(
                parsed,
                Options.read(
                    raw,
                    action,
                    shown.isEmpty() ? "the image's command" : "`" + String.join(" ", shown) + "`"));
          });
    }

    @Override
    Options options(ActionContext ctx) throws ActionException {
      return spec(ctx).options();
    }

    @Override
    Map<String, Object> podSpec(ActionContext ctx, KubeCluster cluster, String namespace)
        throws ActionException {
      ContainerDeploySpec container = spec(ctx).container();
      Object built = KubeContext.target(ctx).buildOutputs().get("deploymentImageId");
      String image =
          container.imageId(
              built == null ? Optional.empty() : Optional.of(String.valueOf(built)),
              ctx.ref().toString());
      return ContainerManifests.runPodSpec(MAIN, ctx.version(), container, image);
    }
  }
}
