package dev.grove.actions.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.grove.actions.deploy.kubernetes.KubernetesDeploySpec.DefaultTarget;
import dev.grove.actions.deploy.kubernetes.KubernetesDeploySpec.PatchResource;
import dev.grove.actions.kube.Yamls;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KubernetesDeploySpecTest {

  static KubernetesDeploySpec parse(String yaml) throws ActionException {
    return KubernetesDeploySpec.parse(Yamls.map(yaml), "deploy.backend");
  }

  private static ActionException failure(String yaml) {
    return catchThrowableOfType(ActionException.class, () -> parse(yaml));
  }

  @Test
  void anEmptySpecHasGardensDefaults() throws Exception {
    KubernetesDeploySpec spec = parse("");

    assertThat(spec.manifests()).isEmpty();
    assertThat(spec.files()).isEmpty();
    assertThat(spec.manifestTemplates()).isEmpty();
    assertThat(spec.manifestFiles()).isEmpty();
    assertThat(spec.namespace()).isEmpty();
    assertThat(spec.patchResources()).isEmpty();
    assertThat(spec.waitForJobs()).isTrue();
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(spec.injectProviderPullSecrets()).isFalse();
    assertThat(spec.defaultTarget()).isEmpty();
  }

  @Test
  void everyFieldIsRead() throws Exception {
    KubernetesDeploySpec spec =
        parse(
            """
            manifests:
              - {apiVersion: v1, kind: ConfigMap, metadata: {name: config}, data: {a: "1"}}
              - null
            files: [backend/deployment.yml]
            manifestTemplates: [templates/*.yml]
            manifestFiles: [crds.yml, null]
            namespace: shop-dev
            patchResources:
              - kind: Deployment
                name: backend
                patch: {spec: {replicas: 2}}
              - {kind: Service, name: backend, strategy: merge, patch: {spec: {type: NodePort}}}
              - {kind: Service, name: backend, strategy: json,
                 patch: [{op: remove, path: /spec/ports/0}]}
            waitForJobs: false
            timeout: 60
            imagePullSecrets: provider
            defaultTarget: {kind: Deployment, name: backend, containerName: app}
            """);

    assertThat(spec.manifests())
        .containsExactly(
            Map.of(
                "apiVersion",
                "v1",
                "kind",
                "ConfigMap",
                "metadata",
                Map.of("name", "config"),
                "data",
                Map.of("a", "1")));
    assertThat(spec.files()).containsExactly("backend/deployment.yml");
    assertThat(spec.manifestTemplates()).containsExactly("templates/*.yml");
    assertThat(spec.templateFiles()).containsExactly("templates/*.yml");
    assertThat(spec.manifestFiles()).containsExactly("crds.yml");
    assertThat(spec.namespace()).contains("shop-dev");
    assertThat(spec.patchResources())
        .containsExactly(
            new PatchResource(
                "Deployment", "backend", "strategic", Map.of("spec", Map.of("replicas", 2))),
            new PatchResource(
                "Service", "backend", "merge", Map.of("spec", Map.of("type", "NodePort"))),
            new PatchResource(
                "Service",
                "backend",
                "json",
                List.of(Map.of("op", "remove", "path", "/spec/ports/0"))));
    assertThat(spec.waitForJobs()).isFalse();
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(spec.injectProviderPullSecrets()).isTrue();
    assertThat(spec.defaultTarget())
        .contains(
            new DefaultTarget(
                Optional.of("Deployment"), Optional.of("backend"), Map.of(), Optional.of("app")));
  }

  @Test
  void filesAreReadWhenThereAreNoManifestTemplates() throws Exception {
    assertThat(parse("files: [a.yml]").templateFiles()).containsExactly("a.yml");
  }

  @Test
  void theSpecsValuesCannotBeChangedAfterParsing() throws Exception {
    KubernetesDeploySpec spec =
        parse("manifests: [{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}]");

    assertThat(spec.manifests().get(0)).isUnmodifiable();
    assertThat(Yamls.mapAt(spec.manifests().get(0), "metadata")).isUnmodifiable();
  }

  @Test
  void aPodSelectorIsATarget() throws Exception {
    assertThat(parse("defaultTarget: {podSelector: {app: backend}}").defaultTarget())
        .contains(
            new DefaultTarget(
                Optional.empty(), Optional.empty(), Map.of("app", "backend"), Optional.empty()));
  }

  @Test
  void kustomizeReadsItsPathAndExtraArgsWithGardensDefaultPath() throws Exception {
    assertThat(parse("kustomize: {path: overlays/dev, extraArgs: [--enable-helm]}").kustomize())
        .contains(new KubernetesDeploySpec.Kustomize("overlays/dev", List.of("--enable-helm")));
    assertThat(parse("kustomize: {}").kustomize())
        .contains(new KubernetesDeploySpec.Kustomize(".", List.of()));
    assertThat(parse("files: [a.yml]").kustomize()).isEmpty();
  }

  @Test
  void kustomizeExtraArgsMayNotRedirectTheOutputAsInGarden() {
    ActionException e = failure("kustomize: {path: base, extraArgs: [-o, out.yml]}");

    assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
    assertThat(e.getMessage()).contains("spec.kustomize.extraArgs").contains("-o");
  }

  @Test
  void imagePullSecretsAcceptsOnlyProviderAndSaysSo() {
    ActionException e = failure("imagePullSecrets: [{name: gar-pull-secret}]");

    assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
    assertThat(e.getMessage())
        .isEqualTo("deploy.backend: spec.imagePullSecrets is a list; it must be provider.");
    assertThat(e.suggestion())
        .contains("spec.imagePullSecrets: provider")
        .contains("patchResources");
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        arguments("manifests: {kind: ConfigMap}", "spec.manifests is a map; it must be a list"),
        arguments(
            "manifests: [hello]",
            "spec.manifests[0] is the string \"hello\"; it must be a Kubernetes object"),
        arguments("files: backend.yml", "spec.files is the string \"backend.yml\""),
        arguments("manifestFiles: [3]", "spec.manifestFiles[0] is the integer 3"),
        arguments("manifestTemplates: [{a: b}]", "spec.manifestTemplates[0] is a map"),
        arguments("namespace: Shop_Dev", "spec.namespace is \"Shop_Dev\""),
        arguments("namespace: 3", "spec.namespace is the integer 3"),
        arguments("patchResources: {}", "spec.patchResources is a map"),
        arguments(
            "patchResources: [{name: backend, patch: {}}]",
            "spec.patchResources[0].kind is missing"),
        arguments(
            "patchResources: [{kind: Deployment, patch: {}}]",
            "spec.patchResources[0].name is missing"),
        arguments(
            "patchResources: [{kind: Deployment, name: backend}]",
            "spec.patchResources[0].patch is missing"),
        arguments(
            "patchResources: [{kind: Deployment, name: backend, strategy: apply, patch: {}}]",
            "spec.patchResources[0].strategy is the string \"apply\"; it must be strategic,"
                + " merge or json"),
        arguments(
            "patchResources: [{kind: Deployment, name: b, strategy: json, patch: {spec: {}}}]",
            "spec.patchResources[0].patch is a map; it must be a list of JSON patch operations"),
        arguments(
            "patchResources: [{kind: Deployment, name: b, patch: [{op: remove, path: /a}]}]",
            "spec.patchResources[0].patch is a list; it must be an object (strategy: strategic)"),
        arguments("waitForJobs: sometimes", "spec.waitForJobs is the string \"sometimes\""),
        arguments("timeout: -1", "spec.timeout is the integer -1"),
        arguments("imagePullSecrets: gar-pull-secret", "spec.imagePullSecrets is the string"),
        arguments(
            "defaultTarget: {kind: Pod, name: backend}",
            "spec.defaultTarget.kind is the string \"Pod\"; it must be Deployment, DaemonSet or"
                + " StatefulSet"),
        arguments("defaultTarget: {kind: Deployment}", "spec.defaultTarget.name is missing"),
        arguments("defaultTarget: {name: backend}", "spec.defaultTarget.kind is missing"),
        arguments("defaultTarget: {containerName: app}", "spec.defaultTarget names no workload"));
  }

  @ParameterizedTest
  @MethodSource("invalidSpecs")
  void anInvalidValueIsAnErrorNamingTheActionAndTheProperty(String yaml, String message) {
    ActionException e = failure(yaml);

    assertThat(e).as(yaml).isNotNull();
    assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
    assertThat(e.getMessage()).startsWith("deploy.backend: ").contains(message);
    assertThat(e.suggestion()).isNotBlank();
  }
}
