package dev.grove.actions.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.kube.patch.GrovePatchRules;
import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.actions.spi.KubeContext;
import dev.grove.api.action.ActionRef;
import dev.grove.api.event.EventPayload;
import dev.grove.sandbox.MockCluster;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
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

/**
 * The story Grove started from (private-registry pulls) against the mock API server: the patch, the
 * lint, and the injection.
 */
class KubernetesDeployHandlerIT {
  private static final Path SEED =
      Path.of("src/test/resources/deploy/kubernetes/seed").toAbsolutePath();
  private static final String NS = "seed-dev";

  MockCluster cluster;
  KubernetesClient client;
  KubernetesDeployHandler handler;
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<EventPayload.Warning> warnings = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = MockCluster.start(GrovePatchRules.RULES);
    client = cluster.client();
    var target =
        new KubeConfigResolver.Target(Path.of("mock-kubeconfig"), "mock", cluster.config());
    handler =
        new KubernetesDeployHandler(
            context -> new KubeCluster(client, target),
            new RegistryCredentials(),
            new KustomizeBuild(new dev.grove.actions.process.ProcessRunner()),
            Duration.ofMillis(50));
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gar-pull-secret")
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

  private ActionContext context(Map<String, Object> spec) {
    Map<String, Object> vars = Map.of("tag", "v1", "greeting", "hello\nworld: not yaml");
    return ActionContext.builder(
            ActionRef.parse("deploy.backend").orElseThrow(), "kubernetes", "v-00000000b1")
        .spec(spec)
        .dirs(SEED, SEED)
        .env(Map.of("HOME", SEED.toString()))
        .timeout(Duration.ofSeconds(20))
        .log((stream, line) -> log.add(line))
        .events(
            payload -> {
              if (payload instanceof EventPayload.Warning warning) {
                warnings.add(warning);
              }
            })
        .extension(
            KubeContext.class,
            new KubeContext(
                KubernetesProvider.of(
                    KubernetesProvider.KUBERNETES,
                    Map.of(
                        "buildMode",
                        "jib",
                        "deploymentRegistry",
                        Map.of(
                            "hostname", "europe-west1-docker.pkg.dev",
                            "namespace", "my-project/my-repo"),
                        "imagePullSecrets",
                        List.of(Map.of("name", "gar-pull-secret", "namespace", "default"))),
                    "seed"),
                new DeployTarget(
                    "seed", "dev", NS, false, Map.of(), (tree, where) -> resolveVars(tree, vars))))
        .build();
  }

  /** A stand-in for the orchestrator's templates: ${var.x} only. */
  @SuppressWarnings("unchecked")
  private static Object resolveVars(Object tree, Map<String, Object> vars) {
    if (tree instanceof String text) {
      String out = text;
      for (var entry : vars.entrySet()) {
        out = out.replace("${var." + entry.getKey() + "}", String.valueOf(entry.getValue()));
      }
      return out;
    }
    if (tree instanceof Map<?, ?> map) {
      Map<String, Object> copy = new java.util.LinkedHashMap<>();
      ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, resolveVars(v, vars)));
      return copy;
    }
    if (tree instanceof List<?> list) {
      return list.stream().map(v -> resolveVars(v, vars)).toList();
    }
    return tree;
  }

  private Deployment deploy(Map<String, Object> spec) throws Exception {
    CompletableFuture<ActionHandler.Outputs> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return handler.process(context(spec));
              } catch (ActionException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    Deployment deployment = null;
    for (int i = 0; i < 200 && deployment == null; i++) {
      deployment = client.apps().deployments().inNamespace(NS).withName("backend").get();
      if (deployment == null) {
        Thread.sleep(50);
      }
    }
    assertThat(deployment).as("the Deployment was applied").isNotNull();
    cluster.controller().rollOutDeployment(NS, "backend");
    running.get(20, TimeUnit.SECONDS);
    return client.apps().deployments().inNamespace(NS).withName("backend").get();
  }

  private static List<String> pullSecrets(Deployment deployment) {
    List<LocalObjectReference> refs =
        deployment.getSpec().getTemplate().getSpec().getImagePullSecrets();
    return refs == null ? List.of() : refs.stream().map(LocalObjectReference::getName).toList();
  }

  @Test
  void theSeedStoryPatchSetsThePullSecretAndNothingWarns() throws Exception {
    Deployment deployment =
        deploy(
            Map.of(
                "files",
                List.of("backend/deployment.yml"),
                "patchResources",
                List.of(
                    Map.of(
                        "kind",
                        "Deployment",
                        "name",
                        "backend",
                        "patch",
                        Map.of(
                            "spec",
                            Map.of(
                                "template",
                                Map.of(
                                    "spec",
                                    Map.of(
                                        "imagePullSecrets",
                                        List.of(Map.of("name", "gar-pull-secret"))))))))));

    assertThat(pullSecrets(deployment)).containsExactly("gar-pull-secret");
    assertThat(warnings).isEmpty();
    assertThat(client.secrets().inNamespace(NS).withName("gar-pull-secret").get()).isNotNull();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage())
        .isEqualTo("europe-west1-docker.pkg.dev/my-project/my-repo/backend:v1");
    // a multi-line value substituted into the template keeps the YAML valid
    assertThat(container.getEnv().get(0).getValue()).isEqualTo("hello\nworld: not yaml");
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry("grove.dev/action", "deploy.backend");
  }

  @Test
  void withoutThePatchTheDeployWarnsNamingTheFix() throws Exception {
    Deployment deployment = deploy(Map.of("files", List.of("backend/deployment.yml")));

    assertThat(pullSecrets(deployment)).isEmpty();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).code()).isEqualTo("GROVE_PULL_SECRET");
    assertThat(warnings.get(0).suggestion())
        .contains("patchResources")
        .contains("imagePullSecrets: provider");
    assertThat(log).anyMatch(line -> line.startsWith("warning GROVE_PULL_SECRET"));
  }

  @Test
  void imagePullSecretsProviderInjectsTheProviderSecrets() throws Exception {
    Deployment deployment =
        deploy(Map.of("files", List.of("backend/deployment.yml"), "imagePullSecrets", "provider"));

    assertThat(pullSecrets(deployment)).containsExactly("gar-pull-secret");
    assertThat(warnings).isEmpty();
    assertThat(
            handler
                .status(
                    context(
                        Map.of(
                            "files",
                            List.of("backend/deployment.yml"),
                            "imagePullSecrets",
                            "provider")))
                .ready())
        .isTrue();
  }

  private static Map<String, Object> workload(String apiVersion, String kind, String name) {
    Map<String, Object> podSpec =
        Map.of(
            "containers",
            List.of(Map.of("name", name, "image", "busybox:1.36")),
            "restartPolicy",
            kind.equals("Job") ? "Never" : "Always");
    Map<String, Object> template =
        Map.of("metadata", Map.of("labels", Map.of("app", name)), "spec", podSpec);
    Map<String, Object> spec =
        kind.equals("Job")
            ? Map.of("template", template)
            : Map.of("selector", Map.of("matchLabels", Map.of("app", name)), "template", template);
    return Map.of(
        "apiVersion", apiVersion, "kind", kind, "metadata", Map.of("name", name), "spec", spec);
  }

  private CompletableFuture<ActionHandler.Outputs> runAsync(Map<String, Object> spec) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return handler.process(context(spec));
          } catch (ActionException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }

  private void awaitObject(String apiVersion, String kind, String name) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (client.genericKubernetesResources(apiVersion, kind).inNamespace(NS).withName(name).get()
          != null) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(kind + "/" + name + " was never applied");
  }

  @Test
  void waitsForStatefulSetsDaemonSetsAndJobs() throws Exception {
    CompletableFuture<ActionHandler.Outputs> running =
        runAsync(
            Map.of(
                "manifests",
                List.of(
                    workload("apps/v1", "StatefulSet", "db"),
                    workload("apps/v1", "DaemonSet", "agent"),
                    workload("batch/v1", "Job", "migrate"))));
    awaitObject("batch/v1", "Job", "migrate");
    Thread.sleep(200);
    assertThat(running).isNotDone();
    cluster.controller().rollOutStatefulSet(NS, "db");
    cluster.controller().rollOutDaemonSet(NS, "agent", 2);
    Thread.sleep(200);
    assertThat(running).as("the Job is not complete yet").isNotDone();
    cluster.controller().completeJob(NS, "migrate");
    running.get(20, TimeUnit.SECONDS);
  }

  @Test
  void aFailedJobEndsTheDeployWithItsMessage() throws Exception {
    CompletableFuture<ActionHandler.Outputs> running =
        runAsync(Map.of("manifests", List.of(workload("batch/v1", "Job", "migrate"))));
    awaitObject("batch/v1", "Job", "migrate");
    cluster
        .controller()
        .failJob(
            NS, "migrate", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    try {
      running.get(20, TimeUnit.SECONDS);
      throw new AssertionError("the deploy did not fail");
    } catch (java.util.concurrent.ExecutionException e) {
      ActionException failure = (ActionException) e.getCause();
      assertThat(failure.code()).isEqualTo(ActionCodes.ROLLOUT_FAILED);
      assertThat(failure.getMessage()).contains("Job migrate failed").contains("backoff limit");
    }
  }

  @Test
  void waitForJobsFalseDoesNotWaitForJobs() throws Exception {
    handler.process(
        context(
            Map.of(
                "manifests",
                List.of(workload("batch/v1", "Job", "migrate")),
                "waitForJobs",
                false)));
    assertThat(client.batch().v1().jobs().inNamespace(NS).withName("migrate").get()).isNotNull();
  }

  @Test
  void aNamespaceTheManifestsCreateSurvivesPruneAndDelete() throws Exception {
    Map<String, Object> namespace =
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "extra"));
    Map<String, Object> config =
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "ConfigMap",
            "metadata",
            Map.of("name", "settings", "namespace", "extra"),
            "data",
            Map.of("a", "1"));
    handler.process(context(Map.of("manifests", List.of(namespace, config))));
    assertThat(client.namespaces().withName("extra").get()).isNotNull();

    handler.process(context(Map.of("manifests", List.of(config))));
    assertThat(client.namespaces().withName("extra").get()).as("not pruned").isNotNull();

    handler.process(context(Map.of("manifests", List.of(namespace, config))));
    handler.cleanup(context(Map.of("manifests", List.of(namespace, config))));
    assertThat(client.namespaces().withName("extra").get()).as("not deleted").isNotNull();
    assertThat(client.configMaps().inNamespace("extra").withName("settings").get()).isNull();
    assertThat(log).anyMatch(line -> line.startsWith("kept Namespace/extra"));
  }
}
