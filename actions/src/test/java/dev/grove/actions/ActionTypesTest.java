package dev.grove.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.build.container.ContainerBuildType;
import dev.grove.actions.deploy.exec.ExecDeployType;
import dev.grove.actions.deploy.kubernetes.KubernetesDeployType;
import dev.grove.actions.helm.HelmProcess;
import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.provider.ImageRegistry;
import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.ActionTypeRegistry;
import dev.grove.actions.spi.Capability;
import dev.grove.api.action.ActionKind;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActionTypesTest {

  @Test
  void exactlyOneHandlerPerKindAndType() {
    ActionTypeRegistry types =
        ActionTypes.standard(
            new KubeClients(null, null),
            new PersistentProcesses(),
            new ProcessRunner(),
            new HelmProcess(Path.of("target/helm")));
    Set<String> seen = new HashSet<>();
    for (ActionType type : types.all()) {
      assertThat(seen.add(type.kind() + "/" + type.type())).as(type.type()).isTrue();
    }
    assertThat(types.typesOf(ActionKind.DEPLOY))
        .containsExactly("container", "kubernetes", "helm", "exec");
    assertThat(types.find(ActionKind.BUILD, "kubernetes")).isEmpty();
    assertThatThrownBy(
            () ->
                new ActionTypeRegistry(
                    List.of(
                        new ExecDeployType(new PersistentProcesses(), new ProcessRunner()),
                        new ExecDeployType(new PersistentProcesses(), new ProcessRunner()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Deploy/exec");
  }

  @Test
  void eachTypeDeclaresTheOperationsItsHandlerHas() {
    ActionTypeRegistry types =
        ActionTypes.standard(
            new KubeClients(null, null),
            new PersistentProcesses(),
            new ProcessRunner(),
            new HelmProcess(Path.of("target/helm")));
    assertThat(types.route(ActionKind.BUILD, "container").orElseThrow().capabilities())
        .containsExactlyInAnyOrder(Capability.STATUS, Capability.PROCESS, Capability.PUBLISH);
    // a persistent exec Deploy's process is read by grove logs through the same capability
    assertThat(types.route(ActionKind.DEPLOY, "exec").orElseThrow().capabilities())
        .containsExactlyInAnyOrder(
            Capability.STATUS, Capability.PROCESS, Capability.DELETE, Capability.LOGS);
    assertThat(types.route(ActionKind.DEPLOY, "kubernetes").orElseThrow().capabilities())
        .contains(Capability.RENDER, Capability.DELETE, Capability.LOGS);
    assertThat(types.route(ActionKind.DEPLOY, "helm").orElseThrow().capabilities())
        .contains(Capability.RENDER, Capability.DELETE, Capability.LOGS);
    assertThat(types.route(ActionKind.BUILD, "exec").orElseThrow().capabilities())
        .containsExactlyInAnyOrder(Capability.STATUS, Capability.PROCESS);
  }

  @Test
  void containerBuildImageNamesFollowGarden() {
    var registry =
        Optional.of(
            new ImageRegistry("europe-west1-docker.pkg.dev", null, "my-project/my-repo", false));
    Map<String, Object> outputs =
        new ContainerBuildType(new ProcessRunner())
            .staticOutputs(new ActionType.OutputContext("web", Map.of(), "v-5843d8420a", registry));
    assertThat(outputs.get("deploymentImageId"))
        .isEqualTo("europe-west1-docker.pkg.dev/my-project/my-repo/web:v-5843d8420a");
    assertThat(outputs.get("deployment-image-id")).isEqualTo(outputs.get("deploymentImageId"));
    assertThat(outputs.get("deploymentImageTag")).isEqualTo("v-5843d8420a");
    assertThat(outputs.get("localImageId")).isEqualTo("web:v-5843d8420a");
  }

  @Test
  void localIdAndPortShapeTheNames() {
    var registry = Optional.of(new ImageRegistry("127.0.0.1", 5000, "shop", true));
    Map<String, Object> outputs =
        new ContainerBuildType(new ProcessRunner())
            .staticOutputs(
                new ActionType.OutputContext(
                    "web", Map.of("localId", "storefront"), "v-1", registry));
    assertThat(outputs.get("deploymentImageName")).isEqualTo("127.0.0.1:5000/shop/storefront");
    assertThat(outputs.get("localImageName")).isEqualTo("storefront");
    Map<String, Object> noRegistry =
        new ContainerBuildType(new ProcessRunner())
            .staticOutputs(new ActionType.OutputContext("web", Map.of(), "v-1", Optional.empty()));
    assertThat(noRegistry.get("deploymentImageId")).isEqualTo("web:v-1");
  }

  @Test
  void kubernetesDeploySourcesAreItsManifestFilesAndKustomizeFolder() {
    Map<String, Object> spec =
        Map.of(
            "files", List.of("a.yml"),
            "manifestFiles", List.of("b.yml"),
            "kustomize", Map.of("path", "overlays/dev"));
    assertThat(new KubernetesDeployType(new KubeClients(null, null)).defaultIncludes(spec))
        .contains(List.of("a.yml", "b.yml", "overlays/dev/**"));
  }
}
