package dev.grove.actions.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grove.actions.kube.Yamls;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.value.ValueTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.kustomize} through a fake {@code kustomize} (or {@code kubectl}) on a test PATH: a
 * shell script using builtins only, so the PATH can hold nothing else, that checks its arguments
 * and folder and prints manifests.
 */
class KustomizeBuildTest {
  private static final String MANIFESTS =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: dev-config
      data:
        mode: base
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: dev-web
        namespace: web-dev
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: web:1}]
      """;

  @TempDir Path bin;
  @TempDir Path buildDir;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void kustomization() throws IOException {
    Files.createDirectories(buildDir.resolve("overlays/dev"));
    Files.writeString(buildDir.resolve("overlays/dev/kustomization.yaml"), "resources: []\n");
  }

  /** A fake tool: fails unless called with {@code expectedArgs} in the build folder. */
  private void fake(String name, String expectedArgs) throws IOException {
    Path script = bin.resolve(name);
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "[ \"$*\" = '"
            + expectedArgs
            + "' ] || { echo \"unexpected arguments: $*\" >&2; exit 9; }\n"
            + "[ -f overlays/dev/kustomization.yaml ] || { echo \"run in $(pwd)\" >&2; exit 8; }\n"
            + "echo 'kustomize says hi' >&2\n"
            + "printf '%s' '"
            + MANIFESTS
            + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private KubernetesManifests.Rendered render(String spec) throws ActionException {
    ActionContext context =
        ActionContext.builder(ActionRef.of(ActionKind.DEPLOY, "web"), "kubernetes", "v-1")
            .dirs(buildDir, buildDir)
            .env(Map.of("PATH", bin.toString()))
            .log((stream, line) -> log.add(stream + ": " + line))
            .build();
    return KubernetesManifests.render(
        "web",
        "v-1",
        KubernetesDeploySpec.parse(Yamls.map(spec), "deploy.web"),
        buildDir,
        "shop-dev",
        ManifestTemplater.NONE,
        PullSecrets.none(),
        new KustomizeBuild(new ProcessRunner()).forAction(context, Duration.ofSeconds(20)));
  }

  private static List<String> names(KubernetesManifests.Rendered rendered) {
    return rendered.objects().stream()
        .map(o -> o.get("kind") + " " + KubernetesManifests.name(o))
        .toList();
  }

  @Test
  void kustomizeOutputComesAfterTheOtherManifestsAndIsPatchedLabelledAndNamespaced()
      throws Exception {
    fake("kustomize", "build overlays/dev --enable-helm");

    KubernetesManifests.Rendered rendered =
        render(
            """
            manifests:
              - {apiVersion: v1, kind: ConfigMap, metadata: {name: inline}}
            kustomize: {path: overlays/dev, extraArgs: [--enable-helm]}
            patchResources:
              - {kind: ConfigMap, name: dev-config, patch: {data: {mode: patched}}}
            """);

    assertThat(names(rendered))
        .containsExactly("ConfigMap inline", "ConfigMap dev-config", "Deployment dev-web");
    Map<String, Object> config = rendered.objects().get(1);
    assertThat(ValueTrees.map(config.get("data"))).containsEntry("mode", "patched");
    Map<String, Object> metadata = ValueTrees.map(config.get("metadata"));
    assertThat(metadata).containsEntry("namespace", "shop-dev");
    assertThat(ValueTrees.map(metadata.get("labels")))
        .containsEntry("grove.dev/action", "deploy.web");
    assertThat(ValueTrees.map(rendered.objects().get(2).get("metadata")))
        .containsEntry("namespace", "web-dev");
    assertThat(log).containsExactly("stderr: kustomize says hi");
  }

  @Test
  void withoutKustomizeOnThePathKubectlKustomizeRendersIt() throws Exception {
    fake("kubectl", "kustomize overlays/dev");

    assertThat(names(render("kustomize: {path: overlays/dev}")))
        .containsExactly("ConfigMap dev-config", "Deployment dev-web");
  }

  @Test
  void neitherKustomizeNorKubectlOnThePathIsAnErrorNamingBoth() {
    ActionException e =
        catchThrowableOfType(
            ActionException.class, () -> render("kustomize: {path: overlays/dev}"));

    assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_NOT_STARTED);
    assertThat(e.getMessage())
        .startsWith("deploy.web: spec.kustomize needs `kustomize` or `kubectl` on the PATH")
        .contains(bin.toString());
    assertThat(e.suggestion()).contains("Install kustomize").contains("kubectl");
  }

  @Test
  void aFailingKustomizeIsAnErrorWithItsCommandFolderAndMessage() throws Exception {
    fake("kustomize", "build somewhere-else");

    ActionException e =
        catchThrowableOfType(
            ActionException.class, () -> render("kustomize: {path: overlays/dev}"));

    assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_FAILED);
    assertThat(e.getMessage())
        .contains("`kustomize build overlays/dev` in " + buildDir + " failed (exit 9)")
        .contains("unexpected arguments: build overlays/dev");
    assertThat(Objects.requireNonNull(e.suggestion())).contains("spec.kustomize");
  }
}
