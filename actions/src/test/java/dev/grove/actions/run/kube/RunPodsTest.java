package dev.grove.actions.run.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pod of a kubernetes-pod or helm-pod Test, from the user's pod spec, as Garden builds it. */
class RunPodsTest {
  private final ActionContext ctx =
      ActionContext.builder(ActionRef.of(ActionKind.TEST, "worker"), "kubernetes-pod", "v-1")
          .build();

  private static final Map<String, Object> DEPLOYMENT =
      Map.of(
          "apiVersion",
          "apps/v1",
          "kind",
          "Deployment",
          "metadata",
          Map.of("name", "worker"),
          "spec",
          Map.of(
              "replicas",
              3,
              "template",
              Map.of(
                  "spec",
                  Map.of(
                      "serviceAccountName",
                      "worker",
                      "restartPolicy",
                      "Always",
                      "initContainers",
                      List.of(Map.of("name", "migrate")),
                      "containers",
                      List.of(
                          Map.of("name", "sidecar", "image", "proxy"),
                          Map.of(
                              "name", "worker",
                              "image", "worker:1",
                              "command", List.of("worker"),
                              "env",
                                  List.of(
                                      Map.of("name", "QUEUE", "value", "orders"),
                                      Map.of("name", "MODE", "value", "serve")),
                              "readinessProbe", Map.of("tcpSocket", Map.of()),
                              "livenessProbe", Map.of("tcpSocket", Map.of())))))));

  @Test
  void theNamedContainerRunsAloneWithTheActionsCommandAndEnvOverItsOwn() throws Exception {
    RunPods.Resource resource = new RunPods.Resource("Deployment", "worker", Optional.of("worker"));
    Map<String, Object> podSpec = RunPods.podSpecOf(ctx, List.of(DEPLOYMENT), resource, "x");
    Map<String, Object> spec =
        RunPods.runSpec(
            ctx,
            podSpec,
            resource.container(),
            new RunPods.Overrides(
                List.of("sh", "-c", "echo $MODE"), List.of(), Map.of("MODE", "check")));

    assertThat(spec)
        .containsEntry("serviceAccountName", "worker")
        .doesNotContainKeys("restartPolicy", "initContainers");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> containers = (List<Map<String, Object>>) spec.get("containers");
    assertThat(containers).hasSize(1);
    Map<String, Object> main = containers.get(0);
    assertThat(main)
        .containsEntry("name", "main")
        .containsEntry("image", "worker:1")
        .containsEntry("command", List.of("sh", "-c", "echo $MODE"))
        .doesNotContainKeys("readinessProbe", "livenessProbe");
    assertThat(main.get("env"))
        .isEqualTo(
            List.of(
                Map.of("name", "QUEUE", "value", "orders"),
                Map.of("name", "MODE", "value", "check")));
  }

  @Test
  void withoutAContainerNameTheFirstRunsAndItsCommandStays() throws Exception {
    RunPods.Resource resource = new RunPods.Resource("Deployment", "worker", Optional.empty());
    Map<String, Object> spec =
        RunPods.runSpec(
            ctx,
            RunPods.podSpecOf(ctx, List.of(DEPLOYMENT), resource, "x"),
            Optional.empty(),
            new RunPods.Overrides(List.of(), List.of(), Map.of()));
    assertThat(spec.get("containers")).isEqualTo(List.of(Map.of("name", "main", "image", "proxy")));
  }

  @Test
  void aResourceNotInTheManifestsNamesWhatIsThere() {
    RunPods.Resource resource = new RunPods.Resource("Deployment", "api", Optional.empty());
    assertThatThrownBy(() -> RunPods.podSpecOf(ctx, List.of(DEPLOYMENT), resource, "its manifests"))
        .isInstanceOf(ActionException.class)
        .hasMessage(
            "test.worker: spec.resource Deployment/api is not in its manifests (it has"
                + " Deployment/worker).")
        .satisfies(
            e -> assertThat(((ActionException) e).code()).isEqualTo(ActionCodes.INVALID_SPEC));
  }

  @Test
  void aContainerNameThatIsNotThereIsAnError() {
    RunPods.Resource resource = new RunPods.Resource("Deployment", "worker", Optional.of("web"));
    assertThatThrownBy(
            () ->
                RunPods.runSpec(
                    ctx,
                    RunPods.podSpecOf(ctx, List.of(DEPLOYMENT), resource, "x"),
                    resource.container(),
                    new RunPods.Overrides(List.of(), List.of(), Map.of())))
        .hasMessageContaining("the pod spec has no container named web");
  }

  @Test
  void theResultConfigMapIsNamedByKindAndName() {
    assertThat(ClusterResults.name(ActionRef.of(ActionKind.TEST, "unit")))
        .isEqualTo("grove-result.test.unit");
    assertThat(ClusterResults.name(ActionRef.of(ActionKind.RUN, "DB_Seed")))
        .isEqualTo("grove-result.run.db-seed");
  }

  @Test
  void aPodNameIsGardensKindNameAndAShortRandomPart() {
    String name = PodRunHandler.podName(ctx);
    assertThat(name).matches("test-worker-[0-9a-f]{8}");
    assertThat(PodRunHandler.podName(ctx)).isNotEqualTo(name);
  }
}
