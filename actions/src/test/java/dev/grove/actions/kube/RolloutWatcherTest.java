package dev.grove.actions.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.kube.patch.GrovePatchRules;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import dev.grove.api.event.EventPayload;
import dev.grove.sandbox.MockCluster;
import dev.grove.sandbox.TestController;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which pods a rollout is judged on: only once the controller has observed the workload's
 * generation, and only the pods of that generation's template (the Deployment's ReplicaSet whose
 * template is the Deployment's, the StatefulSet's {@code updateRevision}, the DaemonSet's newest
 * ControllerRevision) — as {@code kubectl rollout status} and kstatus judge. The cluster's
 * controllers are played step by step with {@link TestController}.
 */
class RolloutWatcherTest {

  private static final String REGISTRY_IMAGE = "127.0.0.1:5000/shop/web:v-1";
  private static final String PULL_ERROR =
      "failed to pull and unpack image \"" + REGISTRY_IMAGE + "\": 401 Unauthorized";
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private static MockCluster cluster;
  private static KubernetesClient client;
  private static TestController controller;
  private static RolloutWatcher watcher;

  @BeforeAll
  static void start() {
    cluster = MockCluster.start(GrovePatchRules.RULES);
    client = cluster.client();
    controller = cluster.controller();
    watcher =
        new RolloutWatcher(
            client,
            new KubeConfigResolver.Target(Path.of("mock-kubeconfig"), "mock", cluster.config()),
            Duration.ofMillis(20));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aFixedDeploymentIsNotJudgedOnTheOldReplicaSetsFailingPodBeforeOrAfterTheControllerSeesIt()
      throws Exception {
    String ns = namespace();
    createDeployment(ns, template(REGISTRY_IMAGE, null));
    Pod broken = controller.createPod(ns, "web");
    controller.setWaiting(ns, broken.getMetadata().getName(), "web", "ErrImagePull", PULL_ERROR);
    assertThatThrownBy(() -> watcher.progress(id(ns, "Deployment")))
        .hasMessageContaining(broken.getMetadata().getName());

    setTemplate(ns, template(REGISTRY_IMAGE, "regcred")); // the fix: generation 2

    EventPayload.RolloutProgress before = watcher.progress(id(ns, "Deployment"));
    assertThat(before.done()).isFalse();
    assertThat(before.waiting())
        .singleElement()
        .asString()
        .contains("generation 2")
        .contains("observed 1");

    Pod fixed = controller.createPod(ns, "web"); // ReplicaSet revision 2, generation 2 observed
    EventPayload.RolloutProgress rolling = watcher.progress(id(ns, "Deployment"));
    assertThat(rolling.done()).isFalse();
    assertThat(rolling.waiting()).singleElement().asString().contains("ContainerCreating");
    assertThat(client.pods().inNamespace(ns).withName(broken.getMetadata().getName()).get())
        .as("the old ReplicaSet's pod is still there, still failing")
        .isNotNull();

    controller.setRunning(ns, fixed.getMetadata().getName());
    client.pods().inNamespace(ns).withName(broken.getMetadata().getName()).delete();
    controller.rollOutDeployment(ns, "web");
    assertThat(watcher.progress(id(ns, "Deployment")).done()).isTrue();
  }

  @Test
  void aHealthyDeploymentChangedToABadImageFailsOnTheNewPodWhileTheOldOneRuns() throws Exception {
    String ns = namespace();
    createDeployment(ns, template("127.0.0.1:5000/shop/web:v-1", "regcred"));
    Pod healthy = controller.createPod(ns, "web");
    controller.setRunning(ns, healthy.getMetadata().getName());
    controller.rollOutDeployment(ns, "web");
    assertThat(watcher.progress(id(ns, "Deployment")).done()).isTrue();

    setTemplate(ns, template("127.0.0.1:5000/shop/web:nope", "regcred"));
    assertThat(watcher.progress(id(ns, "Deployment")).done())
        .as("not done before the controller observed generation 2, though the old pod is ready")
        .isFalse();

    Pod bad = controller.createPod(ns, "web");
    controller.setWaiting(
        ns, bad.getMetadata().getName(), "web", "ErrImagePull", "127.0.0.1:5000/shop/web:nope");
    assertThatThrownBy(() -> watcher.progress(id(ns, "Deployment")))
        .isInstanceOfSatisfying(
            ActionException.class, e -> assertThat(e.code()).isEqualTo(ActionCodes.ROLLOUT_FAILED))
        .hasMessageContaining("pod " + bad.getMetadata().getName() + " is ErrImagePull");
    assertThat(
            client
                .pods()
                .inNamespace(ns)
                .withName(healthy.getMetadata().getName())
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo("Running");
  }

  @Test
  void aPodWhoseSandboxKeepsFailingToBeCreatedFailsTheRolloutWithTheNodesError() throws Exception {
    String ns = namespace();
    createDeployment(ns, template(REGISTRY_IMAGE, "regcred"));
    Pod pod = controller.createPod(ns, "web");
    String name = pod.getMetadata().getName();
    String error =
        "failed to create containerd task: OCI runtime create failed: runc create failed";
    io.fabric8.kubernetes.api.model.Event event =
        new io.fabric8.kubernetes.api.model.EventBuilder()
            .withNewMetadata()
            .withName(name + ".sandbox")
            .withNamespace(ns)
            .endMetadata()
            .withNewInvolvedObject()
            .withKind("Pod")
            .withName(name)
            .withNamespace(ns)
            .endInvolvedObject()
            .withReason("FailedCreatePodSandBox")
            .withType("Warning")
            .withMessage("Failed to create pod sandbox: " + error)
            .withCount(2)
            .build();
    client.v1().events().inNamespace(ns).resource(event).create();
    assertThat(watcher.progress(id(ns, "Deployment")).done())
        .as("two failures can be passing (a CNI starting)")
        .isFalse();

    event.setCount(3);
    client.v1().events().inNamespace(ns).resource(event).update();
    assertThatThrownBy(() -> watcher.progress(id(ns, "Deployment")))
        .isInstanceOfSatisfying(
            ActionException.class, e -> assertThat(e.code()).isEqualTo(ActionCodes.ROLLOUT_FAILED))
        .hasMessageContaining("the node cannot create pod " + name)
        .hasMessageContaining("3 times")
        .hasMessageContaining(error);
  }

  @Test
  void aDeploymentPastItsProgressDeadlineFailsAsKubectlRolloutStatusDoes() throws Exception {
    String ns = namespace();
    createDeployment(ns, template("127.0.0.1:5000/shop/web:v-1", "regcred"));
    controller.createPod(ns, "web"); // observed; its pod is still being created
    assertThat(watcher.progress(id(ns, "Deployment")).done()).isFalse();

    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .editStatus(
            d -> {
              d.getStatus()
                  .setConditions(
                      List.of(
                          new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder()
                              .withType("Progressing")
                              .withStatus("False")
                              .withReason("ProgressDeadlineExceeded")
                              .withMessage("ReplicaSet \"web-1\" has timed out progressing.")
                              .build()));
              return d;
            });

    assertThatThrownBy(() -> watcher.progress(id(ns, "Deployment")))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.ROLLOUT_FAILED);
              assertThat(e.suggestion()).contains("progressDeadlineSeconds");
            })
        .hasMessageContaining("exceeded its progress deadline")
        .hasMessageContaining("has timed out progressing");
  }

  @Test
  void aPullFailureWithoutSecretsSuggestsThePatchForThisWorkloadAndTheRegistrysSecret()
      throws Exception {
    String ns = namespace();
    createDeployment(ns, template(REGISTRY_IMAGE, null));
    Pod broken = controller.createPod(ns, "web");
    controller.setWaiting(ns, broken.getMetadata().getName(), "web", "ErrImagePull", PULL_ERROR);
    assertThatThrownBy(() -> watcher.progress(id(ns, "Deployment")))
        .isInstanceOfSatisfying(
            ActionException.class,
            e ->
                assertThat(e.suggestion())
                    .contains("kind: Deployment\n      name: web\n")
                    .contains("- name: <a docker-registry secret for 127.0.0.1:5000>"));

    String config =
        "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\""
            + java.util.Base64.getEncoder().encodeToString("grove:pw".getBytes())
            + "\"}}}";
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("grove-sandbox-registry")
                .endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .withData(
                    Map.of(
                        ".dockerconfigjson",
                        java.util.Base64.getEncoder().encodeToString(config.getBytes())))
                .build())
        .create();

    assertThatThrownBy(() -> watcher.progress(id(ns, "Deployment")))
        .isInstanceOfSatisfying(
            ActionException.class,
            e ->
                assertThat(e.suggestion())
                    .contains("kind: Deployment\n      name: web\n")
                    .contains("- name: grove-sandbox-registry"));
  }

  @Test
  void aRollbackToAnOlderTemplateIsJudgedOnThatTemplatesReplicaSet() throws Exception {
    String ns = namespace();
    PodTemplateSpec good = template(REGISTRY_IMAGE, "regcred");
    createDeployment(ns, good);
    Pod first = controller.createPod(ns, "web"); // revision 1
    controller.setRunning(ns, first.getMetadata().getName());
    setTemplate(ns, template("127.0.0.1:5000/shop/web:nope", "regcred"));
    Pod bad = controller.createPod(ns, "web"); // revision 2
    controller.setWaiting(ns, bad.getMetadata().getName(), "web", "ErrImagePull", "not found");

    setTemplate(ns, good); // generation 3: back to revision 1's template
    controller.observeDeployment(ns, "web"); // observed before the old ReplicaSet is re-annotated

    EventPayload.RolloutProgress progress = watcher.progress(id(ns, "Deployment"));
    assertThat(progress.done()).isFalse();
  }

  @Test
  void anObservedDeploymentWhoseNewReplicaSetIsNotMadeYetIsNotJudgedOnTheOldOne() throws Exception {
    String ns = namespace();
    createDeployment(ns, template(REGISTRY_IMAGE, null));
    Pod broken = controller.createPod(ns, "web"); // revision 1, the Deployment's annotation too
    controller.setWaiting(ns, broken.getMetadata().getName(), "web", "ErrImagePull", PULL_ERROR);
    setTemplate(ns, template(REGISTRY_IMAGE, "regcred"));

    controller.observeDeployment(ns, "web"); // generation 2 observed, its ReplicaSet not made yet

    EventPayload.RolloutProgress progress = watcher.progress(id(ns, "Deployment"));
    assertThat(progress.done()).isFalse();
    assertThat(progress.waiting()).isEmpty();
  }

  @Test
  void aStatefulSetIsJudgedOnThePodsOfItsUpdateRevision() throws Exception {
    String ns = namespace();
    client
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .resource(
            new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withNewSpec()
                .withServiceName("db")
                .withNewSelector()
                .withMatchLabels(Map.of("app", "web"))
                .endSelector()
                .withTemplate(template(REGISTRY_IMAGE, null))
                .endSpec()
                .build())
        .create();
    Pod broken = controller.createStatefulSetPod(ns, "db", 0);
    controller.setWaiting(ns, "db-0", "web", "ErrImagePull", PULL_ERROR);
    assertThatThrownBy(() -> watcher.progress(id(ns, "StatefulSet", "db")))
        .hasMessageContaining("pod db-0 is ErrImagePull");

    client
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .withName("db")
        .edit(
            s -> {
              s.getSpec().setTemplate(template(REGISTRY_IMAGE, "regcred"));
              return s;
            });
    assertThat(watcher.progress(id(ns, "StatefulSet", "db")).waiting())
        .singleElement()
        .asString()
        .contains("generation 2");

    controller.observeStatefulSet(ns, "db");
    assertThat(watcher.progress(id(ns, "StatefulSet", "db")).done())
        .as("db-0 is still of the current revision %s", broken.getMetadata().getLabels())
        .isFalse();

    client.pods().inNamespace(ns).withName("db-0").delete();
    controller.createStatefulSetPod(ns, "db", 0);
    controller.setWaiting(ns, "db-0", "web", "CrashLoopBackOff", "back-off 10s");
    assertThatThrownBy(() -> watcher.progress(id(ns, "StatefulSet", "db")))
        .hasMessageContaining("pod db-0 is CrashLoopBackOff");
  }

  @Test
  void aDaemonSetIsJudgedOnThePodsOfItsNewestControllerRevision() throws Exception {
    String ns = namespace();
    client
        .apps()
        .daemonSets()
        .inNamespace(ns)
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("agent")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Map.of("app", "web"))
                .endSelector()
                .withTemplate(template(REGISTRY_IMAGE, null))
                .endSpec()
                .build())
        .create();
    Pod broken = controller.createDaemonSetPod(ns, "agent");
    controller.setWaiting(ns, broken.getMetadata().getName(), "web", "ErrImagePull", PULL_ERROR);
    assertThatThrownBy(() -> watcher.progress(id(ns, "DaemonSet", "agent")))
        .hasMessageContaining(broken.getMetadata().getName());

    client
        .apps()
        .daemonSets()
        .inNamespace(ns)
        .withName("agent")
        .edit(
            d -> {
              d.getSpec().setTemplate(template(REGISTRY_IMAGE, "regcred"));
              return d;
            });
    assertThat(watcher.progress(id(ns, "DaemonSet", "agent")).waiting())
        .singleElement()
        .asString()
        .contains("generation 2");

    controller.observeDaemonSet(ns, "agent");
    assertThat(watcher.progress(id(ns, "DaemonSet", "agent")).done()).isFalse();

    Pod next = controller.createDaemonSetPod(ns, "agent");
    controller.setWaiting(ns, next.getMetadata().getName(), "web", "ImagePullBackOff", "back-off");
    assertThatThrownBy(() -> watcher.progress(id(ns, "DaemonSet", "agent")))
        .hasMessageContaining("pod " + next.getMetadata().getName() + " is ImagePullBackOff");
  }

  @Test
  void onceTheControllerObservesTheChangeTheWatcherLooksAgainSoonerThanItsInterval()
      throws Exception {
    String ns = namespace();
    createDeployment(ns, template(REGISTRY_IMAGE, "regcred"));
    controller.setRunning(ns, controller.createPod(ns, "web").getMetadata().getName());
    controller.rollOutDeployment(ns, "web");
    setTemplate(ns, template(REGISTRY_IMAGE + "-2", "regcred")); // generation 2, not observed
    RolloutWatcher slow =
        new RolloutWatcher(
            client,
            new KubeConfigResolver.Target(Path.of("mock-kubeconfig"), "mock", cluster.config()),
            Duration.ofSeconds(20));
    CountDownLatch firstLook = new CountDownLatch(1);
    CompletableFuture<Long> waited =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                slow.await(
                    List.of(id(ns, "Deployment")),
                    false,
                    Duration.ofSeconds(60),
                    new Cancellation(),
                    progress -> firstLook.countDown());
                return System.nanoTime();
              } catch (ActionException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(firstLook.await(10, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    controller.rollOutDeployment(ns, "web"); // observed and rolled out in one status write

    long done = waited.get(30, TimeUnit.SECONDS);
    assertThat((done - start) / 1_000_000)
        .as("the next look came at the 20 s interval, not soon after the controller observed")
        .isLessThan(5_000);
  }

  // ---- helpers ----

  private static String namespace() {
    String ns = "rollout-" + NAMESPACES.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    return ns;
  }

  private static PodTemplateSpec template(String image, String pullSecret) {
    PodTemplateSpecBuilder template =
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .withLabels(Map.of("app", "web"))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("web")
            .withImage(image)
            .endContainer()
            .endSpec();
    if (pullSecret != null) {
      template.editSpec().addNewImagePullSecret(pullSecret).endSpec();
    }
    return template.build();
  }

  private static void createDeployment(String ns, PodTemplateSpec template) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Map.of("app", "web"))
                .endSelector()
                .withTemplate(template)
                .endSpec()
                .build())
        .create();
  }

  private static void setTemplate(String ns, PodTemplateSpec template) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().setTemplate(template);
              return d;
            });
  }

  private static KubeApplier.ObjectId id(String ns, String kind) {
    return id(ns, kind, "web");
  }

  private static KubeApplier.ObjectId id(String ns, String kind, String name) {
    return new KubeApplier.ObjectId("apps/v1", kind, ns, name);
  }
}
