package dev.grove.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.grove.actions.kube.patch.GrovePatchRules;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MockClusterTest {

  private static MockCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = MockCluster.start(GrovePatchRules.RULES);
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  // ---- server-side apply ----

  @Test
  void applyCreatesAndReapplyRemovesWhatIsNoLongerApplied() {
    GenericKubernetesResource first =
        apply(
            client,
            "grove",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: ssa1, labels: {app: web, tier: front}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: app
                    image: nginx:1
                    env: [{name: A, value: "1"}, {name: B, value: "2"}]
            """);

    assertThat(first.getMetadata().getUid()).isNotBlank();
    assertThat(first.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(first.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .containsExactly(tuple("grove", "Apply"));

    apply(
        client,
        "grove",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: ssa1, labels: {app: web}}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: app
                image: nginx:1
                env: [{name: A, value: "1"}]
        """);

    Deployment d = client.apps().deployments().inNamespace("ssa1").withName("web").get();
    assertThat(d.getMetadata().getLabels()).isEqualTo(Map.of("app", "web"));
    assertThat(d.getSpec().getReplicas()).isNull();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName)
        .containsExactly("A");
    assertThat(d.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    assertThat(d.getMetadata().getCreationTimestamp())
        .isEqualTo(first.getMetadata().getCreationTimestamp());
    assertThat(Long.parseLong(d.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(first.getMetadata().getResourceVersion()));
    assertThat(d.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void applyMergesContainersByNameAndKeepsWhatOthersAdded() {
    apply(client, "grove", deployment("ssa2", "web", "app:1", "old"));
    // an injector adds a sidecar, as admission webhooks do
    client
        .apps()
        .deployments()
        .inNamespace("ssa2")
        .withName("web")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":"
                + "[{\"name\":\"injected\",\"image\":\"proxy\"}]}}}}");

    apply(client, "grove", deployment("ssa2", "web", "app:2", "new"));

    List<Container> containers =
        client
            .apps()
            .deployments()
            .inNamespace("ssa2")
            .withName("web")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers();
    assertThat(containers)
        .extracting(Container::getName)
        .containsExactlyInAnyOrder("app", "new", "injected");
    assertThat(containers)
        .filteredOn(c -> c.getName().equals("app"))
        .extracting(Container::getImage)
        .containsExactly("app:2");
  }

  @Test
  void applyConflictsWithAnotherApplierUnlessForced() {
    apply(client, "grove", deployment("ssa3", "web", "app:1", "side"));
    String other =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: ssa3}
        spec: {replicas: 5}
        """;
    GenericKubernetesResource resource =
        Serialization.unmarshal(other, GenericKubernetesResource.class);

    assertThatThrownBy(() -> client.resource(resource).fieldManager("kubectl").serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getMessage()).contains("conflict with \"grove\"", ".spec.replicas");
            });

    client.resource(resource).fieldManager("kubectl").forceConflicts().serverSideApply();
    assertThat(client.apps().deployments().inNamespace("ssa3").withName("web").get())
        .satisfies(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(5));
  }

  @Test
  void applyWithoutAManagerNamedIsFabric8s() {
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("plain")
            .withNamespace("ssa4")
            .endMetadata()
            .addToData("a", "1")
            .build();

    ConfigMap applied = client.resource(cm).serverSideApply();

    assertThat(applied.getData()).containsEntry("a", "1");
    assertThat(applied.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager)
        .containsExactly("fabric8");
  }

  @Test
  void aDryRunApplyAnswersWithTheResultAndStoresNothing() {
    GenericKubernetesResource live =
        apply(client, "grove", deployment("ssa6", "web", "app:1", "side"));
    GenericKubernetesResource desired =
        Serialization.unmarshal(
            deployment("ssa6", "web", "app:2", "side"), GenericKubernetesResource.class);

    GenericKubernetesResource preview =
        client.resource(desired).dryRun().fieldManager("grove").forceConflicts().serverSideApply();

    assertThat(Serialization.asJson(preview)).contains("app:2");
    assertThat(preview.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(preview.getMetadata().getResourceVersion())
        .isEqualTo(live.getMetadata().getResourceVersion());
    Deployment stored = client.apps().deployments().inNamespace("ssa6").withName("web").get();
    assertThat(stored.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("app:1");
    assertThat(stored.getMetadata().getResourceVersion())
        .isEqualTo(live.getMetadata().getResourceVersion());
  }

  @Test
  void applyRefusesAnObjectReadBackWithItsManagedFields() {
    apply(client, "grove", deployment("ssa5", "web", "app:1", "side"));
    Deployment read = client.apps().deployments().inNamespace("ssa5").withName("web").get();

    assertThatThrownBy(() -> client.resource(read).fieldManager("grove").serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getMessage()).contains("metadata.managedFields must be nil");
            });
  }

  // ---- patches ----

  @Test
  void strategicMergePatchMergesListsByMergeKey() {
    apply(client, "grove", deployment("patch1", "web", "app:1", "side"));

    client
        .apps()
        .deployments()
        .inNamespace("patch1")
        .withName("web")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":"
                + "[{\"name\":\"app\",\"image\":\"app:9\"}]}}}}");

    List<Container> containers =
        client
            .apps()
            .deployments()
            .inNamespace("patch1")
            .withName("web")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("app", "side");
    assertThat(containers.get(0).getImage()).isEqualTo("app:9");
  }

  @Test
  void mergePatchReplacesListsAndNullDeletes() {
    client
        .pods()
        .inNamespace("patch2")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .addToLabels("a", "1")
                .addToLabels("b", "2")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .withArgs("one", "two")
                .endContainer()
                .endSpec()
                .build())
        .create();

    Pod patched =
        client
            .pods()
            .inNamespace("patch2")
            .withName("p")
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"b\":null}},"
                    + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"alpine\"}]}}");

    assertThat(patched.getMetadata().getLabels()).isEqualTo(Map.of("a", "1"));
    assertThat(patched.getSpec().getContainers()).hasSize(1);
    assertThat(patched.getSpec().getContainers().get(0).getImage()).isEqualTo("alpine");
    assertThat(patched.getSpec().getContainers().get(0).getArgs()).isEmpty();
  }

  @Test
  void jsonPatchStillWorks() {
    client
        .configMaps()
        .inNamespace("patch3")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cm")
                .endMetadata()
                .addToData("a", "1")
                .build())
        .create();

    ConfigMap patched =
        client
            .configMaps()
            .inNamespace("patch3")
            .withName("cm")
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"2\"}]");

    assertThat(patched.getData()).isEqualTo(Map.of("a", "2"));
  }

  // ---- what the server does to particular kinds ----

  @Test
  void secretStringDataIsStoredAsBase64Data() {
    Secret created =
        client
            .secrets()
            .inNamespace("sec1")
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("created")
                    .endMetadata()
                    .addToStringData("password", "hunter2")
                    .build())
            .create();
    GenericKubernetesResource applied =
        apply(
            client,
            "grove",
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: applied, namespace: sec1}
            stringData: {token: abc}
            """);

    assertThat(created.getData()).isEqualTo(Map.of("password", "aHVudGVyMg=="));
    assertThat(created.getStringData()).isNullOrEmpty();
    Secret stored = client.secrets().inNamespace("sec1").withName("applied").get();
    assertThat(stored.getData()).isEqualTo(Map.of("token", "YWJj"));
    assertThat(applied.getAdditionalProperties()).doesNotContainKey("stringData");
  }

  @Test
  void deletingANamespaceDeletesItsObjects() {
    Namespace ns =
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName("gone").endMetadata().build())
            .create();
    GenericKubernetesResource applied =
        apply(client, "grove", "apiVersion: v1\nkind: Namespace\nmetadata: {name: kept}\n");
    apply(client, "grove", deployment("gone", "web", "app:1", "side"));
    apply(client, "grove", deployment("kept", "web", "app:1", "side"));
    client
        .configMaps()
        .inNamespace("gone")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().build())
        .create();

    client.namespaces().withName("gone").delete();

    assertThat(ns.getStatus().getPhase()).isEqualTo("Active");
    assertThat(applied.getAdditionalProperties().get("status"))
        .isEqualTo(Map.of("phase", "Active"));
    assertThat(client.namespaces().withName("gone").get()).isNull();
    assertThat(client.apps().deployments().inNamespace("gone").list().getItems()).isEmpty();
    assertThat(client.configMaps().inNamespace("gone").list().getItems()).isEmpty();
    assertThat(client.apps().deployments().inNamespace("kept").withName("web").get()).isNotNull();
  }

  @Test
  void deletingAnOwnerDeletesItsDependents() {
    apply(client, "grove", deployment("gc1", "web", "app:1", "side"));
    Pod pod = cluster.controller().createPod("gc1", "web");
    assertThat(client.apps().replicaSets().inNamespace("gc1").list().getItems()).hasSize(1);

    client.apps().deployments().inNamespace("gc1").withName("web").delete();

    assertThat(client.apps().replicaSets().inNamespace("gc1").list().getItems()).isEmpty();
    assertThat(client.pods().inNamespace("gc1").withName(pod.getMetadata().getName()).get())
        .isNull();
  }

  @Test
  void statusIsASubresource() {
    apply(client, "grove", deployment("st1", "web", "app:1", "side"));
    Deployment rolledOut = cluster.controller().rollOutDeployment("st1", "web");
    assertThat(rolledOut.getMetadata().getGeneration()).isEqualTo(1L);

    // writes to the object keep the status ...
    apply(client, "grove", deployment("st1", "web", "app:2", "side"));
    Deployment edited =
        client
            .apps()
            .deployments()
            .inNamespace("st1")
            .withName("web")
            .edit(
                d -> {
                  d.getSpec().setReplicas(3);
                  d.setStatus(null);
                  return d;
                });
    assertThat(edited.getStatus()).isEqualTo(rolledOut.getStatus());
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(3L);

    // ... and writes to the status keep the object
    Deployment statusWrite =
        client
            .apps()
            .deployments()
            .inNamespace("st1")
            .withName("web")
            .editStatus(
                d -> {
                  d.getSpec().setReplicas(7);
                  d.getStatus().setReplicas(3);
                  return d;
                });
    assertThat(statusWrite.getSpec().getReplicas()).isEqualTo(3);
    assertThat(statusWrite.getStatus().getReplicas()).isEqualTo(3);
    assertThat(statusWrite.getMetadata().getGeneration()).isEqualTo(3L);
  }

  // ---- reading, deleting, watching ----

  @Test
  void listsAndDeletesByLabelSelector() {
    for (String name : List.of("a", "b", "c")) {
      client
          .pods()
          .inNamespace("sel1")
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .addToLabels("app", name.equals("c") ? "other" : "web")
                  .endMetadata()
                  .build())
          .create();
    }

    assertThat(client.pods().inNamespace("sel1").withLabel("app", "web").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("a", "b");

    client.pods().inNamespace("sel1").withLabel("app", "web").delete();

    assertThat(client.pods().inNamespace("sel1").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("c");
  }

  @Test
  void watchesAndInformersSeePodUpdates() throws Exception {
    apply(client, "grove", deployment("w1", "web", "app:1", "side"));
    Pod pod = cluster.controller().createPod("w1", "web");
    String name = pod.getMetadata().getName();
    BlockingQueue<String> watched = new LinkedBlockingQueue<>();
    BlockingQueue<String> informed = new LinkedBlockingQueue<>();
    Watch watch = client.pods().inNamespace("w1").withName(name).watch(new Recorder(watched));
    try (SharedIndexInformer<Pod> informer =
        client.pods().inNamespace("w1").inform(new Handler(informed))) {
      // without a resourceVersion, a watch starts with the objects there are, as ADDED
      assertThat(watched.poll(5, TimeUnit.SECONDS)).isEqualTo("ADDED Pending");
      assertThat(informed.poll(5, TimeUnit.SECONDS)).isEqualTo("ADDED Pending");

      cluster.controller().setRunning("w1", name);

      assertThat(watched.poll(5, TimeUnit.SECONDS)).isEqualTo("MODIFIED Running");
      assertThat(informed.poll(5, TimeUnit.SECONDS)).isEqualTo("MODIFIED Running");
      assertThat(informer.getStore().list()).hasSize(1);
    } finally {
      watch.close();
    }
  }

  @Test
  void aClientOnTheDaemonsVertxWorks() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (KubernetesClient own =
        new KubernetesClientBuilder()
            .withConfig(cluster.config())
            .withHttpClientFactory(new Vertx5HttpClientFactory(vertx))
            .build()) {
      apply(own, "grove", deployment("vx1", "web", "app:1", "side"));
      assertThat(own.apps().deployments().inNamespace("vx1").list().getItems()).hasSize(1);
    } finally {
      vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  // ---- the test controller ----

  @Test
  void rollOutMakesADeploymentAvailable() {
    apply(client, "grove", deployment("ctl1", "web", "app:1", "side"));

    Deployment d = cluster.controller().rollOutDeployment("ctl1", "web");

    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(d.getStatus().getConditions())
        .extracting(DeploymentCondition::getType, DeploymentCondition::getStatus)
        .contains(tuple("Available", "True"), tuple("Progressing", "True"));
    assertThat(d.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Progressing"))
        .extracting(DeploymentCondition::getReason)
        .containsExactly("NewReplicaSetAvailable");
  }

  @Test
  void aStalledDeploymentMissedItsProgressDeadline() {
    apply(client, "grove", deployment("ctl5", "web", "app:1", "side"));

    Deployment d = cluster.controller().stallDeployment("ctl5", "web");

    assertThat(d.getStatus().getAvailableReplicas()).isNull();
    assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(2);
    assertThat(d.getStatus().getConditions())
        .extracting(DeploymentCondition::getType, DeploymentCondition::getReason)
        .contains(tuple("Progressing", "ProgressDeadlineExceeded"));
  }

  @Test
  void podsOfADeploymentCarryItsTemplateAndAWaitingStateWithItsEvent() {
    apply(client, "grove", deployment("ctl2", "web", "app:1", "side"));
    Pod pod = cluster.controller().createPod("ctl2", "web");
    String name = pod.getMetadata().getName();

    Pod waiting =
        cluster
            .controller()
            .setWaiting(
                "ctl2",
                name,
                "app",
                "ErrImagePull",
                "Failed to pull image \"app:1\": failed to authorize: 401 Unauthorized");

    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(pod.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("ReplicaSet");
    assertThat(client.pods().inNamespace("ctl2").withLabel("app", "web").list().getItems())
        .hasSize(1);
    assertThat(waiting.getStatus().getContainerStatuses())
        .filteredOn(s -> s.getName().equals("app"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
              assertThat(s.getState().getWaiting().getMessage()).contains("401 Unauthorized");
            });
    List<Event> events =
        client
            .v1()
            .events()
            .inNamespace("ctl2")
            .withField("involvedObject.name", name)
            .list()
            .getItems();
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("Failed");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
              assertThat(e.getMessage()).contains("401 Unauthorized");
            });
  }

  @Test
  void anUnschedulablePodIsPendingWithAReason() {
    apply(client, "grove", deployment("ctl3", "web", "app:1", "side"));
    String name = cluster.controller().createPod("ctl3", "web").getMetadata().getName();

    Pod pod =
        cluster
            .controller()
            .setUnschedulable("ctl3", name, "0/3 nodes are available: 3 Insufficient cpu.");

    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pod.getStatus().getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("PodScheduled");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("Unschedulable");
            });
  }

  @Test
  void statefulSetsDaemonSetsAndJobsReachTheirEndStates() {
    apply(
        client,
        "grove",
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: ctl4}
        spec: {replicas: 3, serviceName: db, selector: {matchLabels: {app: db}},
               template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: pg}]}}}
        """);
    apply(
        client,
        "grove",
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: ctl4}
        spec: {selector: {matchLabels: {app: agent}},
               template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: a, image: a}]}}}
        """);
    for (String job : List.of("ok", "bad")) {
      apply(
          client,
          "grove",
          """
          apiVersion: batch/v1
          kind: Job
          metadata: {name: %s, namespace: ctl4}
          spec: {backoffLimit: 2, template: {spec: {restartPolicy: Never,
                 containers: [{name: j, image: busybox}]}}}
          """
              .formatted(job));
    }

    StatefulSet sts = cluster.controller().rollOutStatefulSet("ctl4", "db");
    DaemonSet ds = cluster.controller().rollOutDaemonSet("ctl4", "agent", 2);
    Job ok = cluster.controller().completeJob("ctl4", "ok");
    Job bad =
        cluster
            .controller()
            .failJob(
                "ctl4",
                "bad",
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit");

    assertThat(sts.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(sts.getStatus().getUpdateRevision()).isEqualTo(sts.getStatus().getCurrentRevision());
    assertThat(ds.getStatus().getNumberReady()).isEqualTo(2);
    assertThat(ok.getStatus().getConditions())
        .extracting(JobCondition::getType)
        .contains("Complete");
    assertThat(ok.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(bad.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Failed"))
        .extracting(JobCondition::getReason)
        .containsExactly("BackoffLimitExceeded");
    assertThat(bad.getStatus().getFailed()).isEqualTo(3);
  }

  // ---- helpers ----

  private static GenericKubernetesResource apply(
      KubernetesClient client, String manager, String yaml) {
    GenericKubernetesResource resource =
        Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    return client.resource(resource).fieldManager(manager).forceConflicts().serverSideApply();
  }

  /** A two-replica Deployment with containers {@code app} (the image given) and {@code other}. */
  private static String deployment(String namespace, String name, String image, String other) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: 2
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - {name: app, image: "%s"}
              - {name: %s, image: "%s"}
        """
        .formatted(name, namespace, name, name, image, other, other);
  }

  private record Recorder(BlockingQueue<String> events) implements Watcher<Pod> {
    @Override
    public void eventReceived(Action action, Pod pod) {
      events.add(action + " " + pod.getStatus().getPhase());
    }

    @Override
    public void onClose(WatcherException cause) {}
  }

  private record Handler(BlockingQueue<String> events) implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      events.add("ADDED " + pod.getStatus().getPhase());
    }

    @Override
    public void onUpdate(Pod before, Pod pod) {
      events.add("MODIFIED " + pod.getStatus().getPhase());
    }

    @Override
    public void onDelete(Pod pod, boolean unknown) {
      events.add("DELETED");
    }
  }
}
