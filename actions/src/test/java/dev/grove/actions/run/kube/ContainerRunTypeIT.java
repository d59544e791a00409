package dev.grove.actions.run.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.kube.GroveLabels;
import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.kube.patch.GrovePatchRules;
import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.actions.spi.KubeContext;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.sandbox.MockCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
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

/**
 * A container Test against the mock API server, the test playing the kubelet: the pod it creates,
 * its exit code as the result, the result kept in the cluster, a pod that cannot start failing at
 * once, the action's timeout, and the pod deleted after each.
 */
class ContainerRunTypeIT {
  private static final String NS = "shop-dev";
  private static final String IMAGE = "europe-west1-docker.pkg.dev/p/r/tests:v-1";

  @TempDir Path dir;
  MockCluster cluster;
  KubernetesClient client;
  ActionHandler handler;
  final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = MockCluster.start(GrovePatchRules.RULES);
    client = cluster.client();
    var target =
        new KubeConfigResolver.Target(Path.of("mock-kubeconfig"), "mock", cluster.config());
    handler =
        new ContainerRunType(
                ActionKind.TEST, context -> new KubeCluster(client, target), Duration.ofMillis(50))
            .handler();
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

  private ActionContext context(String version, Duration timeout) {
    return context(
        version,
        timeout,
        Map.of("image", IMAGE, "command", List.of("run-tests"), "env", Map.of("CI", "1")));
  }

  private ActionContext context(String version, Duration timeout, Map<String, Object> spec) {
    return ActionContext.builder(ActionRef.of(ActionKind.TEST, "unit"), "container", version)
        .spec(spec)
        .dirs(dir, dir)
        .timeout(timeout)
        .log((stream, line) -> log.add(line))
        .extension(
            KubeContext.class,
            new KubeContext(
                KubernetesProvider.of(
                    KubernetesProvider.KUBERNETES,
                    Map.of(
                        "imagePullSecrets",
                        List.of(Map.of("name", "gar-pull", "namespace", "default"))),
                    "shop"),
                new DeployTarget("shop", "dev", NS, false, Map.of(), null)))
        .build();
  }

  /** The run's pod, once it exists. */
  private Pod awaitPod() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<Pod> pods =
          client
              .pods()
              .inNamespace(NS)
              .withLabel(GroveLabels.ACTION, "test.unit")
              .list()
              .getItems();
      if (!pods.isEmpty()) {
        return pods.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no pod of test.unit within 10 s");
  }

  private List<Pod> pods() {
    return client
        .pods()
        .inNamespace(NS)
        .withLabel(GroveLabels.ACTION, "test.unit")
        .list()
        .getItems();
  }

  private CompletableFuture<Object> process(ActionContext ctx) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return handler.process(ctx);
          } catch (ActionException e) {
            return e;
          }
        });
  }

  @Test
  void runsThePodToItsEndKeepsTheResultByVersionAndDeletesThePod() throws Exception {
    ActionContext ctx = context("v-1", Duration.ofSeconds(20));
    assertThat(handler.status(ctx).ready()).isFalse();
    CompletableFuture<Object> run = process(ctx);

    Pod pod = awaitPod();
    assertThat(pod.getMetadata().getName()).startsWith("test-unit-");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getImagePullSecrets()).extracting("name").containsExactly("gar-pull");
    var main = pod.getSpec().getContainers().get(0);
    assertThat(main.getName()).isEqualTo("main");
    assertThat(main.getImage()).isEqualTo(IMAGE);
    assertThat(main.getCommand()).containsExactly("run-tests");
    assertThat(main.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("CI"));
    assertThat(client.secrets().inNamespace(NS).withName("gar-pull").get())
        .as("the provider's pull secret is copied into the namespace")
        .isNotNull();

    cluster.controller().setTerminated(NS, pod.getMetadata().getName(), 0);
    assertThat(run.get(20, TimeUnit.SECONDS)).isInstanceOf(ActionHandler.Outputs.class);
    assertThat(pods()).as("the pod is deleted after it ran").isEmpty();
    assertThat(client.configMaps().inNamespace(NS).withName("grove-result.test.unit").get())
        .isNotNull();

    ActionHandler.Status again = handler.status(context("v-1", Duration.ofSeconds(20)));
    assertThat(again.ready()).isTrue();
    assertThat(again.detail()).startsWith("passed ");
    assertThat(handler.status(context("v-2", Duration.ofSeconds(20))).detail())
        .isEqualTo("outdated");
  }

  @Test
  void withCacheResultFalseAPassIsNotKeptInTheClusterAndItRunsAgain() throws Exception {
    Map<String, Object> spec =
        Map.of("image", IMAGE, "command", List.of("run-tests"), "cacheResult", false);
    CompletableFuture<Object> run = process(context("v-1", Duration.ofSeconds(20), spec));
    cluster.controller().setTerminated(NS, awaitPod().getMetadata().getName(), 0);
    assertThat(run.get(20, TimeUnit.SECONDS)).isInstanceOf(ActionHandler.Outputs.class);

    assertThat(client.configMaps().inNamespace(NS).withName("grove-result.test.unit").get())
        .isNull();
    assertThat(handler.status(context("v-1", Duration.ofSeconds(20), spec)).ready()).isFalse();
  }

  @Test
  void aNonZeroExitFailsTheTestWithItsCodeAndIsNotCachedAsAPass() throws Exception {
    ActionContext ctx = context("v-1", Duration.ofSeconds(20));
    CompletableFuture<Object> run = process(ctx);
    Pod pod = awaitPod();
    cluster.controller().setTerminated(NS, pod.getMetadata().getName(), 3);

    assertThat(run.get(20, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_FAILED);
              assertThat(e.getMessage())
                  .startsWith("test.unit: `run-tests` exited with code 3 in pod test-unit-");
            });
    assertThat(pods()).isEmpty();
    assertThat(handler.status(context("v-1", Duration.ofSeconds(20))).ready()).isFalse();
  }

  @Test
  void aPodThatCannotPullFailsAtOnceWithTheDiagnosis() throws Exception {
    CompletableFuture<Object> run = process(context("v-1", Duration.ofSeconds(60)));
    Pod pod = awaitPod();
    cluster
        .controller()
        .setWaiting(NS, pod.getMetadata().getName(), "main", "ErrImagePull", "403 Forbidden");

    assertThat(run.get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.ROLLOUT_FAILED);
              assertThat(e.getMessage())
                  .startsWith("test.unit: container main of pod test-unit-")
                  .contains("ErrImagePull: 403 Forbidden")
                  .contains("the pod's imagePullSecrets: gar-pull");
            });
    assertThat(pods()).isEmpty();
  }

  @Test
  void aPodThatRunsPastTheTimeoutFailsWithTimeoutAndIsDeleted() throws Exception {
    CompletableFuture<Object> run = process(context("v-1", Duration.ofSeconds(2)));
    Pod pod = awaitPod();
    cluster.controller().setRunning(NS, pod.getMetadata().getName());

    assertThat(run.get(15, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.TIMEOUT);
              assertThat(e.getMessage()).contains("did not end within its timeout of 2 s");
            });
    assertThat(pods()).isEmpty();
  }

  @Test
  void aRelativeArtifactSourceIsRefusedBeforeAPodIsMade() {
    ActionContext ctx =
        ActionContext.builder(ActionRef.of(ActionKind.TEST, "unit"), "container", "v-1")
            .spec(Map.of("image", IMAGE, "artifacts", List.of(Map.of("source", "reports/*"))))
            .dirs(dir, dir)
            .build();
    assertThatThrownBy(() -> handler.process(ctx))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining("is not an absolute path in the container");
    assertThat(pods()).isEmpty();
  }
}
