package dev.grove.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.ActionTypes;
import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.router.ActionRouter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code grove validate} lints helm charts as it lints kubernetes manifests. */
class HelmLintTest {

  private static ProjectRequest request(String project) {
    String root = Fixtures.project(project).toString();
    return new ProjectRequest(root, root, null, Map.of(), Map.of("HOME", root));
  }

  @Test
  void aChartsPodTemplateWithoutThePullSecretIsAWarningAtTheDeploy() {
    ProjectSummary summary =
        new DefaultProjectService(Fixtures.router()).validate(request("helm-lint"));
    assertThat(summary.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.code()).isEqualTo("GROVE_PULL_SECRET");
              assertThat(w.message())
                  .contains("deploy.web", "Deployment web", "europe-west1-docker.pkg.dev");
              assertThat(w.suggestion()).contains("spec.imagePullSecrets: provider");
              assertThat(w.location().file()).isEqualTo("web/garden.yml");
            });
  }

  @Test
  void aProjectWithoutHelmActionsNeverCallsHelm() {
    KubeClients clients = new KubeClients(null, null);
    HelmOps tripwire =
        (HelmOps)
            java.lang.reflect.Proxy.newProxyInstance(
                HelmOps.class.getClassLoader(),
                new Class<?>[] {HelmOps.class},
                (proxy, method, args) -> {
                  throw new AssertionError(
                      "Helm was called (" + method.getName() + ") for a project without helm");
                });
    ActionRouter router =
        new ActionRouter(
            ActionTypes.standard(clients, new PersistentProcesses(), new ProcessRunner(), tripwire),
            ActionRouter.Preparation.sandbox(clients));
    ProjectSummary summary = new DefaultProjectService(router).validate(request("seed-story"));
    assertThat(summary.actions()).isNotEmpty();
  }
}
