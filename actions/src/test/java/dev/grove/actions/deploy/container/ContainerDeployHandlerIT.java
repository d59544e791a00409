package dev.grove.actions.deploy.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.kube.KubeApplier;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.kube.patch.GrovePatchRules;
import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.actions.spi.KubeContext;
import dev.grove.api.action.ActionRef;
import dev.grove.api.event.EventPayload;
import dev.grove.sandbox.MockCluster;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Deploy/container} against the mock API server, a test controller playing the cluster. */
class ContainerDeployHandlerIT {
  private static final String NS = "shop-dev";
  private static final String IMAGE = "europe-west1-docker.pkg.dev/p/r/web:v-00000000aa";

  @TempDir Path dir;
  MockCluster cluster;
  KubernetesClient client;
  ContainerDeployHandler handler;
  final List<EventPayload.RolloutProgress> progress = new CopyOnWriteArrayList<>();
  final List<EventPayload.DeployStatus> statuses = new CopyOnWriteArrayList<>();
  final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = MockCluster.start(GrovePatchRules.RULES);
    client = cluster.client();
    var target =
        new KubeConfigResolver.Target(Path.of("mock-kubeconfig"), "mock", cluster.config());
    handler =
        new ContainerDeployHandler(
            context -> new dev.grove.actions.kube.KubeCluster(client, target),
            Duration.ofMillis(50));
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gar-pull")
                .withNamespace("default")
                .endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", "e30=")
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ActionContext context(
      String version, Map<String, Object> spec, Map<String, Object> provider, Duration timeout) {
    return ActionContext.builder(ActionRef.parse("deploy.web").orElseThrow(), "container", version)
        .spec(spec)
        .dirs(dir, dir)
        .env(Map.of())
        .timeout(timeout)
        .log((stream, line) -> log.add(line))
        .events(
            payload -> {
              if (payload instanceof EventPayload.RolloutProgress rollout) {
                progress.add(rollout);
              }
              if (payload instanceof EventPayload.DeployStatus status) {
                statuses.add(status);
              }
            })
        .extension(
            KubeContext.class,
            new KubeContext(
                KubernetesProvider.of(KubernetesProvider.KUBERNETES, provider, "shop"),
                new DeployTarget("shop", "dev", NS, false, Map.of(), null)))
        .build();
  }

  private ActionContext context(String version, Map<String, Object> spec) {
    return context(
        version,
        spec,
        Map.of("imagePullSecrets", List.of(Map.of("name", "gar-pull"))),
        Duration.ofSeconds(20));
  }

  private static Map<String, Object> web(boolean withPorts) {
    return withPorts
        ? Map.of("image", IMAGE, "ports", List.of(Map.of("name", "http", "containerPort", 8080)))
        : Map.of("image", IMAGE);
  }

  /** Runs process in the background, rolling the Deployment out once it exists. */
  private ActionHandler.Outputs deployAndRollOut(ActionContext context) throws Exception {
    CompletableFuture<ActionHandler.Outputs> running = runAsync(context);
    awaitDeployment(context.version());
    cluster.controller().rollOutDeployment(NS, "web");
    return running.get(20, TimeUnit.SECONDS);
  }

  private CompletableFuture<ActionHandler.Outputs> runAsync(ActionContext context) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return handler.process(context);
          } catch (ActionException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }

  private Deployment awaitDeployment() throws InterruptedException {
    return awaitDeployment(null);
  }

  /** Until the Deployment exists (at {@code version} when given: a redeploy applied it). */
  private Deployment awaitDeployment(String version) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      Deployment deployment = client.apps().deployments().inNamespace(NS).withName("web").get();
      if (deployment != null
          && (version == null
              || version.equals(
                  deployment.getMetadata().getAnnotations().get("grove.dev/version")))) {
        return deployment;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the Deployment was never applied");
  }

  private ActionException failureOf(CompletableFuture<?> running) throws Exception {
    try {
      running.get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (ActionException) e.getCause();
    }
    throw new AssertionError("the deploy did not fail");
  }

  @Test
  void deploysIntoTheNamespaceWithPullSecretsLabelsAndWaitsForTheRollout() throws Exception {
    assertThat(handler.status(context("v-1", web(true))).detail()).isEqualTo("missing");

    ActionHandler.Outputs outputs = deployAndRollOut(context("v-1", web(true)));

    assertThat(outputs.values().get("deployedImageId")).isEqualTo(IMAGE);
    assertThat(client.namespaces().withName(NS).get()).isNotNull();
    assertThat(client.secrets().inNamespace(NS).withName("gar-pull").get().getData())
        .containsEntry(".dockerconfigjson", "e30=");
    Deployment deployment = client.apps().deployments().inNamespace(NS).withName("web").get();
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "grove")
        .containsEntry("grove.dev/action", "deploy.web");
    assertThat(deployment.getMetadata().getAnnotations()).containsEntry("grove.dev/version", "v-1");
    assertThat(deployment.getSpec().getTemplate().getSpec().getImagePullSecrets())
        .extracting(s -> s.getName())
        .containsExactly("gar-pull");
    assertThat(client.services().inNamespace(NS).withName("web").get()).isNotNull();
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1).done()).isTrue();

    assertThat(handler.status(context("v-1", web(true))).ready()).isTrue();
    assertThat(handler.status(context("v-2", web(true))).detail()).isEqualTo("outdated");
  }

  @Test
  void theProvidersNamespaceLabelsAndAnnotationsGoOnTheNamespace() throws Exception {
    deployAndRollOut(
        context(
            "v-1",
            web(false),
            Map.of(
                "namespace",
                Map.of(
                    "name", NS,
                    "labels", Map.of("team", "shop"),
                    "annotations", Map.of("owner", "ana"))),
            Duration.ofSeconds(20)));
    var namespace = client.namespaces().withName(NS).get();
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("team", "shop")
        .containsEntry("app.kubernetes.io/managed-by", "grove");
    assertThat(namespace.getMetadata().getAnnotations()).containsEntry("owner", "ana");
  }

  @Test
  void anObjectNoLongerRenderedIsPruned() throws Exception {
    deployAndRollOut(context("v-1", web(true)));
    deployAndRollOut(context("v-2", web(false)));

    assertThat(client.services().inNamespace(NS).withName("web").get()).isNull();
    assertThat(log).anyMatch(line -> line.contains("pruned Service/web"));
    assertThat(client.apps().deployments().inNamespace(NS).withName("web").get()).isNotNull();
  }

  @Test
  void anImagePullFailureEndsTheDeployAtOnceNamingImageRegistrySecretsAndTheFix() throws Exception {
    ActionContext context =
        context("v-1", web(false), Map.of(), Duration.ofSeconds(60)); // no provider secrets
    CompletableFuture<ActionHandler.Outputs> running = runAsync(context);
    awaitDeployment();
    var pod = cluster.controller().createPod(NS, "web");
    cluster
        .controller()
        .setWaiting(
            NS,
            pod.getMetadata().getName(),
            "web",
            "ImagePullBackOff",
            "Back-off pulling image \"" + IMAGE + "\"");
    long start = System.nanoTime();
    ActionException failure = failureOf(running);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    assertThat(failure.code()).isEqualTo(ActionCodes.ROLLOUT_FAILED);
    assertThat(failure.getMessage())
        .contains("ImagePullBackOff")
        .contains(IMAGE)
        .contains("registry europe-west1-docker.pkg.dev")
        .contains("the pod's imagePullSecrets: none");
    assertThat(failure.suggestion())
        .contains("imagePullSecrets: provider")
        .contains("patchResources");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "ErrImagePull",
        "ImagePullBackOff",
        "CrashLoopBackOff",
        "CreateContainerConfigError",
        "InvalidImageName"
      })
  void eachFatalWaitingReasonEndsTheDeployWithThePodsMessage(String reason) throws Exception {
    CompletableFuture<ActionHandler.Outputs> running =
        runAsync(
            context(
                "v-1",
                web(false),
                Map.of("imagePullSecrets", List.of(Map.of("name", "gar-pull"))),
                Duration.ofSeconds(60)));
    awaitDeployment();
    var pod = cluster.controller().createPod(NS, "web");
    cluster
        .controller()
        .setWaiting(NS, pod.getMetadata().getName(), "web", reason, "the kubelet says " + reason);
    ActionException failure = failureOf(running);
    assertThat(failure.code()).isEqualTo(ActionCodes.ROLLOUT_FAILED);
    assertThat(failure.getMessage()).contains(reason).contains("the kubelet says " + reason);
    assertThat(failure.suggestion()).isNotBlank();
    if (reason.contains("Pull")) {
      assertThat(failure.getMessage()).contains("the pod's imagePullSecrets: gar-pull");
    }
  }

  @Test
  void statusReportsEachObjectAndTheWorstState() throws Exception {
    deployAndRollOut(context("v-1", web(true)));
    client.services().inNamespace(NS).withName("web").delete();

    assertThat(handler.status(context("v-1", web(true))).detail()).isEqualTo("missing");
    EventPayload.DeployStatus last = statuses.get(statuses.size() - 1);
    assertThat(last.state()).isEqualTo("missing");
    assertThat(last.objects().toString())
        .contains("kind=Deployment, name=web, namespace=shop-dev, state=ready")
        .contains("kind=Service, name=web, namespace=shop-dev, state=missing");
  }

  @Test
  void aCrashLoopSaysToReadTheContainerLog() throws Exception {
    CompletableFuture<ActionHandler.Outputs> running = runAsync(context("v-1", web(false)));
    awaitDeployment();
    var pod = cluster.controller().createPod(NS, "web");
    cluster
        .controller()
        .setWaiting(NS, pod.getMetadata().getName(), "web", "CrashLoopBackOff", "back-off 10s");
    ActionException failure = failureOf(running);
    assertThat(failure.getMessage()).contains("CrashLoopBackOff");
    assertThat(failure.suggestion()).contains("kubectl logs").contains("--previous");
  }

  @Test
  void anUnschedulablePodEndsTheDeploy() throws Exception {
    CompletableFuture<ActionHandler.Outputs> running = runAsync(context("v-1", web(false)));
    awaitDeployment();
    var pod = cluster.controller().createPod(NS, "web");
    cluster
        .controller()
        .setUnschedulable(
            NS, pod.getMetadata().getName(), "0/3 nodes are available: 3 Insufficient cpu.");
    ActionException failure = failureOf(running);
    assertThat(failure.getMessage()).contains("cannot be scheduled").contains("Insufficient cpu");
  }

  @Test
  void aRolloutThatDoesNotFinishTimesOut() {
    ActionContext context =
        context(
            "v-1",
            web(false),
            Map.of("imagePullSecrets", List.of(Map.of("name", "gar-pull"))),
            Duration.ofSeconds(1));
    assertThatThrownBy(() -> handler.process(context))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.ROLLOUT_TIMEOUT);
              assertThat(e.getMessage()).contains("Deployment/web 0/1 ready");
            });
  }

  @Test
  void aMissingPullSecretIsNamedWithItsNamespace() {
    ActionContext context =
        context(
            "v-1",
            web(false),
            Map.of("imagePullSecrets", List.of(Map.of("name", "nope", "namespace", "infra"))),
            Duration.ofSeconds(5));
    assertThatThrownBy(() -> handler.process(context))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.SECRET_NOT_FOUND);
              assertThat(e.getMessage())
                  .isEqualTo("Could not find secret 'nope' in namespace 'infra'.");
            });
  }

  @Test
  void deleteRemovesWhatTheActionApplied() throws Exception {
    deployAndRollOut(context("v-1", web(true)));
    var target =
        new KubeConfigResolver.Target(Path.of("mock-kubeconfig"), "mock", cluster.config());
    List<KubeApplier.ObjectId> deleted =
        new KubeApplier(client, target).deleteAction("deploy.web", NS);
    assertThat(deleted).extracting(KubeApplier.ObjectId::kind).contains("Deployment", "Service");
    assertThat(client.apps().deployments().inNamespace(NS).withName("web").get()).isNull();
    assertThat(handler.status(context("v-1", web(true))).detail()).isEqualTo("missing");
  }
}
