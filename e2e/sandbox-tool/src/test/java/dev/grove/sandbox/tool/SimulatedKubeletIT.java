package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.grove.actions.registry.LocalRegistry;
import dev.grove.sandbox.cluster.Pods;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's API and kubelet in this JVM against a real registry with htpasswd auth, holding an
 * image pushed by jib: pulls succeed or fail by the pods' pull secrets, as on a cluster.
 */
class SimulatedKubeletIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static LocalRegistry registry;
  static Sandbox sandbox;
  static KubernetesClient client;
  static String image;

  private static final AtomicInteger namespaces = new AtomicInteger();

  @BeforeAll
  static void startRegistryAndSandbox() throws Exception {
    registry = LocalRegistry.start(dir.resolve("registry"), "grove", "s3cret-pw");
    System.setProperty("sendCredentialsOverHttp", "true");
    image = registry.host() + "/shop/web:v-1";
    Path file = Files.writeString(dir.resolve("index.html"), "hello");
    Jib.fromScratch()
        .addLayer(List.of(file), AbsoluteUnixPath.get("/"))
        .containerize(
            Containerizer.to(
                    RegistryImage.named(image).addCredential(registry.user(), registry.password()))
                .setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(dir.resolve("jib-base-cache"))
                .setApplicationLayersCache(dir.resolve("jib-app-cache")));
    sandbox = Sandbox.start(0);
    client = new KubernetesClientBuilder().withConfig(sandbox.config()).build();
  }

  @AfterAll
  static void stop() {
    System.clearProperty("sendCredentialsOverHttp");
    if (client != null) {
      client.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void a_deployment_whose_pod_has_the_pull_secret_becomes_available_and_serves_its_log()
      throws Exception {
    String ns = namespace();
    pullSecret(ns, "regcred", registry.password());
    deploy(ns, "web", podSpec(image, "regcred"), Map.of());

    Deployment d = await("web available", () -> available(ns, "web"));
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(1);
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(ns).list().getItems();
    assertThat(sets).hasSize(1);
    ReplicaSet rs = sets.get(0);
    assertThat(rs.getMetadata().getName()).matches("web-[a-z0-9]{10}");
    assertThat(rs.getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo(d.getMetadata().getUid());
    Pod pod = onlyPod(ns);
    assertThat(pod.getMetadata().getName()).matches(rs.getMetadata().getName() + "-[a-z0-9]{5}");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("app", "web")
        .containsKey("pod-template-hash");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getImageID())
        .startsWith(registry.host() + "/shop/web@sha256:");
    assertThat(reasons(ns, pod)).contains("Scheduled", "Pulling", "Pulled", "Created", "Started");

    String log =
        client
            .pods()
            .inNamespace(ns)
            .withName(pod.getMetadata().getName())
            .inContainer("web")
            .getLog();
    assertThat(log)
        .contains("[grove-sandbox] pulled " + image + " (sha256:")
        .contains("[grove-sandbox] started container web");
    String tail =
        client
            .pods()
            .inNamespace(ns)
            .withName(pod.getMetadata().getName())
            .inContainer("web")
            .usingTimestamps()
            .tailingLines(1)
            .getLog();
    assertThat(tail.lines().toList())
        .singleElement()
        .asString()
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z \\[grove-sandbox\\] .*");

    ByteArrayOutputStream followed = new ByteArrayOutputStream();
    try (LogWatch watch =
        client
            .pods()
            .inNamespace(ns)
            .withName(pod.getMetadata().getName())
            .inContainer("web")
            .watchLog(followed)) {
      await("the existing lines", () -> text(followed).contains("started container") ? 1 : null);
      sandbox.api().logs().append(ns, pod.getMetadata().getName(), "web", "a line added later");
      await("the new line", () -> text(followed).contains("a line added later") ? 1 : null);
      client.pods().inNamespace(ns).resource(pod).delete();
      await(
          "the followed log to end",
          () -> watch.onClose().toCompletableFuture().isDone() ? 1 : null);
    }
  }

  @Test
  void a_pod_whose_pull_secret_is_missing_backs_off_with_the_401_until_the_secret_exists() {
    String ns = namespace();
    deploy(ns, "api", podSpec(image, "regcred"), Map.of());

    ContainerStateWaiting errImagePull = await("ErrImagePull", () -> waiting(ns, "ErrImagePull"));
    assertThat(errImagePull.getMessage())
        .contains("failed to pull and unpack image \"" + image + "\"")
        .contains("401 Unauthorized");
    ContainerStateWaiting backOff =
        await("ImagePullBackOff", () -> waiting(ns, "ImagePullBackOff"));
    assertThat(backOff.getMessage())
        .startsWith("Back-off pulling image \"" + image + "\"")
        .contains("401 Unauthorized");
    Pod waitingPod = onlyPod(ns);
    assertThatThrownBy(
            () ->
                client.pods().inNamespace(ns).withName(waitingPod.getMetadata().getName()).getLog())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("container \"web\" in pod \"" + waitingPod.getMetadata().getName())
        .hasMessageMatching(
            "(?s).*is waiting to start: (image can't be pulled|trying and failing to pull image).*");
    List<Event> events = events(ns, waitingPod);
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("Failed");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .startsWith("Failed to pull image \"" + image + "\": ")
                  .contains("401 Unauthorized");
            })
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("BackOff"))
        .anySatisfy(
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "Unable to retrieve some image pull secrets (regcred); attempting to pull"
                            + " the image may not succeed."));
    assertThat(client.apps().deployments().inNamespace(ns).withName("api").get())
        .satisfies(d -> assertThat(condition(d, "Available").getStatus()).isEqualTo("False"));

    pullSecret(ns, "regcred", registry.password());

    await("api available after the secret appeared", () -> available(ns, "api"));
    assertThat(onlyPod(ns).getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void a_wrong_password_is_a_401_a_missing_tag_not_found_and_other_hosts_unreachable() {
    String ns = namespace();
    pullSecret(ns, "wrong", "not-the-password");
    deploy(ns, "wrong", podSpec(image, "wrong"), Map.of());
    deploy(ns, "missing", podSpec(registry.host() + "/shop/web:nope", "wrong"), Map.of());
    pullSecret(ns, "regcred", registry.password());
    deploy(ns, "tagless", podSpec(registry.host() + "/shop/web:nope", "regcred"), Map.of());
    deploy(ns, "remote", podSpec("ghcr.io/grove/web:1", "regcred"), Map.of());
    deploy(ns, "down", podSpec("127.0.0.1:1/shop/web:v-1", null), Map.of());

    assertThat(await("401", () -> waitingOf(ns, "wrong", "ErrImagePull", "ImagePullBackOff")))
        .contains("401 Unauthorized");
    assertThat(await("not found", () -> waitingOf(ns, "tagless", "ErrImagePull")))
        .contains(registry.host() + "/shop/web:nope: not found");
    assertThat(await("not loopback", () -> waitingOf(ns, "remote", "ErrImagePull")))
        .contains("the sandbox reaches only loopback registries, not ghcr.io");
    assertThat(await("refused", () -> waitingOf(ns, "down", "ErrImagePull")))
        .contains(
            "failed to do request: Head \"http://127.0.0.1:1/v2/shop/web/manifests/v-1\": dial tcp"
                + " 127.0.0.1:1: the connection was refused");
  }

  @Test
  void pods_get_the_pull_secrets_of_their_service_account() {
    String ns = namespace();
    pullSecret(ns, "regcred", registry.password());
    await(
        "the default service account",
        () -> client.serviceAccounts().inNamespace(ns).withName("default").get());
    client
        .serviceAccounts()
        .inNamespace(ns)
        .withName("default")
        .edit(
            sa -> {
              sa.getImagePullSecrets()
                  .add(new io.fabric8.kubernetes.api.model.LocalObjectReference("regcred"));
              return sa;
            });
    deploy(ns, "web", podSpec(image, null), Map.of());

    await("web available", () -> available(ns, "web"));
    assertThat(onlyPod(ns).getSpec().getImagePullSecrets())
        .extracting(r -> r.getName())
        .containsExactly("regcred");
  }

  @Test
  void a_template_change_rolls_out_a_new_replica_set_and_replaces_the_pod() {
    String ns = namespace();
    pullSecret(ns, "regcred", registry.password());
    deploy(ns, "web", podSpec(image, "regcred"), Map.of());
    await("web available", () -> available(ns, "web"));
    String firstPod = onlyPod(ns).getMetadata().getName();

    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("grove.dev/v", "2"));
              return d;
            });

    Deployment d =
        await(
            "generation 2 rolled out",
            () -> {
              Deployment live = available(ns, "web");
              return live != null
                      && live.getStatus().getObservedGeneration() == 2
                      && live.getStatus().getReplicas() == 1
                      && "NewReplicaSetAvailable".equals(condition(live, "Progressing").getReason())
                  ? live
                  : null;
            });
    assertThat(d.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "2");
    List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(ns).list().getItems();
    assertThat(sets).hasSize(2);
    assertThat(sets).extracting(rs -> rs.getSpec().getReplicas()).containsExactlyInAnyOrder(0, 1);
    Pod pod = await("the old pod gone", () -> onlyPodOr(ns, null));
    assertThat(pod.getMetadata().getName()).isNotEqualTo(firstPod);
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("grove.dev/v", "2");
  }

  @Test
  void a_job_runs_its_pod_to_completion() {
    String ns = namespace();
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("migrate")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withSpec(
                    new PodSpecBuilder(podSpec("busybox:1.36", null))
                        .withRestartPolicy("Never")
                        .build())
                .endTemplate()
                .endSpec()
                .build())
        .create();

    Job job =
        await(
            "the job complete",
            () -> {
              Job live = client.batch().v1().jobs().inNamespace(ns).withName("migrate").get();
              return live.getStatus() != null
                      && live.getStatus().getConditions().stream()
                          .anyMatch(c -> c.getType().equals("Complete"))
                  ? live
                  : null;
            });
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(job.getStatus().getConditions())
        .extracting(c -> c.getType())
        .containsExactly("SuccessCriteriaMet", "Complete");
    Pod pod = onlyPod(ns);
    assertThat(pod.getMetadata().getName()).matches("migrate-[a-z0-9]{5}");
    assertThat(pod.getMetadata().getLabels()).containsEntry("job-name", "migrate");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated())
        .satisfies(t -> assertThat(t.getExitCode()).isZero());
    assertThat(client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).getLog())
        .contains("took docker.io/library/busybox:1.36 as present")
        .contains("exited with code 0");
  }

  @Test
  void statefulset_pods_are_numbered_and_a_daemonset_runs_one_pod_on_the_node() {
    String ns = namespace();
    Map<String, String> labels = Map.of("app", "db");
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
                .withReplicas(2)
                .withServiceName("db")
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withSpec(podSpec("postgres:16", null))
                .endTemplate()
                .endSpec()
                .build())
        .create();
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
                .withMatchLabels(Map.of("app", "agent"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "agent"))
                .endMetadata()
                .withSpec(podSpec("fluent/fluent-bit:3", null))
                .endTemplate()
                .endSpec()
                .build())
        .create();

    await(
        "db ready",
        () -> {
          var s = client.apps().statefulSets().inNamespace(ns).withName("db").get();
          return s.getStatus() != null
                  && Integer.valueOf(2).equals(s.getStatus().getReadyReplicas())
              ? s
              : null;
        });
    await(
        "agent ready",
        () -> {
          var d = client.apps().daemonSets().inNamespace(ns).withName("agent").get();
          return d.getStatus() != null
                  && Integer.valueOf(1).equals(d.getStatus().getNumberAvailable())
              ? d
              : null;
        });
    assertThat(client.pods().inNamespace(ns).list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .contains("db-0", "db-1")
        .anySatisfy(name -> assertThat(name).matches("agent-[a-z0-9]{5}"))
        .hasSize(3);
  }

  @Test
  void a_fixed_deployment_rolls_out_a_new_replica_set_while_the_old_ones_pod_still_fails() {
    String ns = namespace();
    deploy(ns, "api", podSpec(image, null), Map.of());
    Pod broken =
        await(
            "the first pod failing",
            () ->
                waitingOf(ns, "api", "ErrImagePull", "ImagePullBackOff") != null
                    ? onlyPodOr(ns, null)
                    : null);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("api")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "1");
    pullSecret(ns, "regcred", registry.password());

    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("api")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .setImagePullSecrets(
                      List.of(new io.fabric8.kubernetes.api.model.LocalObjectReference("regcred")));
              return d;
            });

    // as on a cluster, the controller observes generation 2 and makes revision 2's ReplicaSet,
    // and the old ReplicaSet's pod stays, still failing, until the new one is available
    Deployment observed =
        await(
            "generation 2 observed while the old pod is still failing",
            () -> {
              Deployment live = client.apps().deployments().inNamespace(ns).withName("api").get();
              Pod old =
                  client.pods().inNamespace(ns).withName(broken.getMetadata().getName()).get();
              return live.getStatus().getObservedGeneration() == 2
                      && old != null
                      && !Pods.ready(old)
                      && client.pods().inNamespace(ns).list().getItems().size() == 2
                  ? live
                  : null;
            });
    assertThat(observed.getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "2");
    ReplicaSet second =
        client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
            .filter(
                rs ->
                    "2"
                        .equals(
                            rs.getMetadata()
                                .getAnnotations()
                                .get("deployment.kubernetes.io/revision")))
            .findFirst()
            .orElseThrow();
    String hash = second.getMetadata().getLabels().get("pod-template-hash");
    assertThat(second.getMetadata().getName()).isEqualTo("api-" + hash);
    assertThat(second.getSpec().getSelector().getMatchLabels())
        .containsEntry("pod-template-hash", hash);

    await("api available on revision 2", () -> available(ns, "api"));
    Pod pod = await("the old pod gone", () -> onlyPodOr(ns, null));
    assertThat(pod.getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void daemonsets_and_statefulsets_keep_controller_revisions_whose_hash_labels_their_pods() {
    String ns = namespace();
    Map<String, String> labels = Map.of("app", "db");
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
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withSpec(podSpec("postgres:16", null))
                .endTemplate()
                .endSpec()
                .build())
        .create();
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
                .withMatchLabels(Map.of("app", "agent"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "agent"))
                .endMetadata()
                .withSpec(podSpec("fluent/fluent-bit:3", null))
                .endTemplate()
                .endSpec()
                .build())
        .create();

    StatefulSet db =
        await(
            "db ready",
            () -> {
              StatefulSet s = client.apps().statefulSets().inNamespace(ns).withName("db").get();
              return s.getStatus() != null
                      && Integer.valueOf(1).equals(s.getStatus().getReadyReplicas())
                  ? s
                  : null;
            });
    ControllerRevision dbRevision = revision(ns, db.getStatus().getUpdateRevision());
    assertThat(dbRevision.getRevision()).isEqualTo(1L);
    assertThat(dbRevision.getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo(db.getMetadata().getUid());
    assertThat(client.pods().inNamespace(ns).withName("db-0").get().getMetadata().getLabels())
        .containsEntry("controller-revision-hash", db.getStatus().getUpdateRevision());

    Pod agent = await("agent running", () -> running(ns, "agent"));
    String firstHash = agent.getMetadata().getLabels().get("controller-revision-hash");
    ControllerRevision first = revision(ns, "agent-" + firstHash);
    assertThat(first.getRevision()).isEqualTo(1L);
    assertThat(first.getMetadata().getLabels())
        .containsEntry("controller-revision-hash", firstHash);

    client
        .apps()
        .daemonSets()
        .inNamespace(ns)
        .withName("agent")
        .edit(
            d -> {
              d.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("grove.dev/v", "2"));
              return d;
            });
    Pod replaced =
        await(
            "the agent pod replaced",
            () -> {
              Pod p = running(ns, "agent");
              return p != null
                      && !firstHash.equals(
                          p.getMetadata().getLabels().get("controller-revision-hash"))
                  ? p
                  : null;
            });
    String secondHash = replaced.getMetadata().getLabels().get("controller-revision-hash");
    assertThat(revision(ns, "agent-" + secondHash).getRevision()).isEqualTo(2L);
  }

  private static ControllerRevision revision(String ns, String name) {
    ControllerRevision revision =
        client.apps().controllerRevisions().inNamespace(ns).withName(name).get();
    assertThat(revision).as("ControllerRevision " + name).isNotNull();
    return revision;
  }

  private static Pod running(String ns, String app) {
    return client.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .findFirst()
        .orElse(null);
  }

  // ---- helpers ----

  private static String namespace() {
    String ns = "kubelet-" + namespaces.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    return ns;
  }

  private static void pullSecret(String ns, String name, String password) {
    String auth =
        Base64.getEncoder()
            .encodeToString((registry.user() + ":" + password).getBytes(StandardCharsets.UTF_8));
    String config = "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}";
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .addToStringData(".dockerconfigjson", config)
                .build())
        .create();
  }

  private static PodSpec podSpec(String image, String pullSecret) {
    PodSpecBuilder spec =
        new PodSpecBuilder().addNewContainer().withName("web").withImage(image).endContainer();
    if (pullSecret != null) {
      spec.addNewImagePullSecret(pullSecret);
    }
    return spec.build();
  }

  private static void deploy(String ns, String name, PodSpec spec, Map<String, String> extra) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .withAnnotations(extra)
                .endMetadata()
                .withSpec(spec)
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  /** The Deployment once its Available condition is True, else null. */
  private static Deployment available(String ns, String name) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    DeploymentCondition available = d == null ? null : condition(d, "Available");
    return available != null && "True".equals(available.getStatus()) ? d : null;
  }

  private static DeploymentCondition condition(Deployment d, String type) {
    if (d.getStatus() == null) {
      return null;
    }
    return d.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static Pod onlyPod(String ns) {
    List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  private static Pod onlyPodOr(String ns, Pod otherwise) {
    List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
    return pods.size() == 1 ? pods.get(0) : otherwise;
  }

  /** The waiting state of the namespace's one pod's container when its reason is {@code reason}. */
  private static ContainerStateWaiting waiting(String ns, String reason) {
    Pod pod = onlyPodOr(ns, null);
    if (pod == null || pod.getStatus() == null) {
      return null;
    }
    for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
      if (s.getState() != null
          && s.getState().getWaiting() != null
          && reason.equals(s.getState().getWaiting().getReason())) {
        return s.getState().getWaiting();
      }
    }
    return null;
  }

  /** The waiting message of the pod labelled app={@code app} when its reason is one of those. */
  private static String waitingOf(String ns, String app, String... reasons) {
    for (Pod pod : client.pods().inNamespace(ns).withLabel("app", app).list().getItems()) {
      if (pod.getStatus() == null) {
        continue;
      }
      for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
        if (s.getState() != null
            && s.getState().getWaiting() != null
            && List.of(reasons).contains(s.getState().getWaiting().getReason())) {
          return s.getState().getWaiting().getMessage();
        }
      }
    }
    return null;
  }

  private static List<Event> events(String ns, Pod pod) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> pod.getMetadata().getName().equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private static List<String> reasons(String ns, Pod pod) {
    return events(ns, pod).stream().map(Event::getReason).toList();
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Polls until {@code probe} gives a value; fails naming {@code what} after {@link #WAIT}. */
  private static <T> T await(String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WAIT + " for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
