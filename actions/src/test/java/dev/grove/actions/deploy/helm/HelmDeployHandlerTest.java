package dev.grove.actions.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.deploy.kubernetes.KubernetesManifests;
import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.kube.GroveLabels;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local chart rendered by real Helm (in the test JVM) and post-rendered by Grove; the chart Grove
 * installs instead of it; the release states status reads, against the mock API server.
 */
class HelmDeployHandlerTest {
  private static final Path WEB = Path.of("src/test/resources/deploy/helm/web").toAbsolutePath();
  private static final Path BROKEN =
      Path.of("src/test/resources/deploy/helm/broken").toAbsolutePath();
  private static final String NS = "shop-dev";
  private static final String VERSION = "v-00000000a1";
  private static final HelmOps HELM = new HelmForTests();

  final List<String> log = new CopyOnWriteArrayList<>();
  final List<EventPayload> events = new CopyOnWriteArrayList<>();

  private ActionContext context(Path dir, Map<String, Object> spec) {
    return ActionContext.builder(ActionRef.parse("deploy.web").orElseThrow(), "helm", VERSION)
        .spec(spec)
        .dirs(dir, dir)
        .env(Map.of("HOME", dir.toString()))
        .timeout(Duration.ofSeconds(20))
        .log((stream, line) -> log.add(line))
        .events(events::add)
        .extension(
            KubeContext.class,
            new KubeContext(
                KubernetesProvider.of(
                    KubernetesProvider.KUBERNETES,
                    Map.of(
                        "deploymentRegistry",
                        Map.of(
                            "hostname", "europe-west1-docker.pkg.dev",
                            "namespace", "my-project/my-repo"),
                        "imagePullSecrets",
                        List.of(Map.of("name", "gar-pull-secret", "namespace", "default"))),
                    "shop"),
                new DeployTarget("shop", "dev", NS, false, Map.of(), null)))
        .build();
  }

  private static HelmDeployHandler handler(HelmOps helm, KubeCluster.Opener clusters) {
    return new HelmDeployHandler(helm, clusters, new RegistryCredentials(), Duration.ofMillis(50));
  }

  private static HelmDeployHandler offline() {
    return handler(
        HELM,
        context -> {
          throw new AssertionError("render needs no cluster");
        });
  }

  private static Map<String, Object> webSpec() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("chart", Map.of("path", "chart"));
    spec.put("valueFiles", List.of("values/dev.yaml"));
    spec.put("values", Map.of("greeting", "from spec.values"));
    return spec;
  }

  private static Map<String, Object> find(List<Map<String, Object>> objects, String kind) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + objects));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> object, String... path) {
    Object current = object;
    for (String key : path) {
      current = ((Map<String, Object>) current).get(key);
    }
    return (Map<String, Object>) current;
  }

  @Test
  void rendersTheChartWithValueFilesThenValuesAndGroveLabelsOnEveryObject() throws Exception {
    ActionHandler.Rendered rendered = offline().render(context(WEB, webSpec()));

    List<Map<String, Object>> objects = rendered.objects();
    assertThat(objects)
        .extracting(o -> o.get("kind"))
        .containsExactlyInAnyOrder("ConfigMap", "Service", "Deployment", "Job");
    // the pre-install Job is a hook: Helm's template hides hooks, Grove's render shows it
    assertThat(at(find(objects, "Job"), "metadata", "annotations"))
        .containsEntry("helm.sh/hook", "pre-install,pre-upgrade")
        .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation")
        .doesNotContainKey(LocalChart.HIDDEN);
    for (Map<String, Object> object : objects) {
      Map<String, Object> metadata = at(object, "metadata");
      assertThat(at(metadata, "labels"))
          .containsEntry(GroveLabels.ACTION, "deploy.web")
          .containsEntry(GroveLabels.MANAGED_BY, GroveLabels.MANAGER);
      assertThat(at(metadata, "annotations")).containsEntry(GroveLabels.VERSION, VERSION);
    }
    Map<String, Object> config = find(objects, "ConfigMap");
    // values.yaml < valueFiles < values, as Garden passes them to Helm
    assertThat(at(config, "data"))
        .containsEntry("greeting", "from spec.values")
        .containsEntry("template", "{{ not a template }}");
    assertThat(at(config, "metadata")).containsEntry("name", "web-config");
    Map<String, Object> deployment = find(objects, "Deployment");
    assertThat(at(deployment, "spec")).containsEntry("replicas", 2L);
    // namespaces: the release's, on namespaced objects only
    assertThat(at(deployment, "metadata")).containsEntry("namespace", NS);
  }

  @Test
  void lintsPullSecretsOfTheChartsPodTemplatesAndInjectsTheProvidersOnRequest() throws Exception {
    ActionHandler.Rendered linted = offline().render(context(WEB, webSpec()));
    assertThat(linted.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.code()).isEqualTo(ActionCodes.GROVE_PULL_SECRET);
              assertThat(w.message()).contains("Deployment web-web").contains("deploy.web");
              assertThat(w.suggestion()).contains("spec.imagePullSecrets: provider");
            });

    Map<String, Object> spec = webSpec();
    spec.put("imagePullSecrets", "provider");
    ActionHandler.Rendered injected = offline().render(context(WEB, spec));
    assertThat(injected.warnings()).isEmpty();
    assertThat(at(find(injected.objects(), "Deployment"), "spec", "template", "spec"))
        .containsEntry("imagePullSecrets", List.of(Map.of("name", "gar-pull-secret")));
    // busybox comes from Docker Hub: its pods need no secret
    assertThat(at(find(injected.objects(), "Job"), "spec", "template", "spec"))
        .doesNotContainKey("imagePullSecrets");
  }

  @Test
  void appliesPatchResourcesToTheChartsObjects() throws Exception {
    Map<String, Object> spec = webSpec();
    spec.put(
        "patchResources",
        List.of(
            Map.of(
                "kind",
                "Deployment",
                "name",
                "web-web",
                "patch",
                Map.of("spec", Map.of("replicas", 3))),
            Map.of("kind", "Deployment", "name", "nope", "patch", Map.of("spec", Map.of()))));
    ActionHandler.Rendered rendered = offline().render(context(WEB, spec));
    assertThat(at(find(rendered.objects(), "Deployment"), "spec")).containsEntry("replicas", 3);
    assertThat(rendered.warnings())
        .extracting(EventPayload.Warning::code)
        .contains(ActionCodes.GROVE_PATCH_UNMATCHED);
  }

  @Test
  void theRenderedChartRendersBackToTheSameObjects(@TempDir Path dir) throws Exception {
    HelmDeploySpec spec = HelmDeploySpec.parse(webSpec(), "deploy.web");
    Path copy = dir.resolve("copy");
    LocalChart.copyWithHooksVisible(WEB.resolve("chart"), copy, "deploy.web");
    String manifests =
        HELM.template(
            HelmOps.ChartRef.local(copy),
            "web",
            NS,
            new HelmOps.Values(List.of(WEB.resolve("values/dev.yaml")), "greeting: x\n"),
            List.of(),
            new HelmOps.Bounds(Duration.ofSeconds(30), null));
    HelmManifests.ChartRender render =
        HelmManifests.postRender(
            "deploy.web",
            VERSION,
            manifests,
            spec,
            NS,
            dev.grove.actions.deploy.kubernetes.PullSecrets.none());
    Path chart = dir.resolve("rendered");
    RenderedChart.write(
        chart,
        RenderedChart.Metadata.of(WEB.resolve("chart"), "deploy.web"),
        render.objects(),
        LocalChart.crdFiles(WEB.resolve("chart")));

    assertThat(Files.readString(chart.resolve("Chart.yaml")))
        .contains("apiVersion: v2")
        .contains("name: web")
        .contains("version: 0.1.0")
        .contains("appVersion: '1.0'")
        .contains("description: A web server");
    assertThat(listing(chart))
        .containsExactly(
            "Chart.yaml",
            "crds/chart-0-widgets.yaml",
            "files/0.yaml",
            "files/1.yaml",
            "files/2.yaml",
            "files/3.yaml",
            "templates/0.yaml",
            "templates/1.yaml",
            "templates/2.yaml",
            "templates/3.yaml");
    assertThat(Files.readString(chart.resolve("templates/1.yaml")))
        .isEqualTo("{{ .Files.Get \"files/1.yaml\" }}\n");
    int job = render.maps().indexOf(find(render.maps(), "Job"));
    assertThat(Files.readString(chart.resolve("files/" + job + ".yaml")))
        .contains("helm.sh/hook: pre-install,pre-upgrade");

    // Helm reads the post-rendered objects back as they are: nothing is templated twice
    String again =
        HELM.template(
            HelmOps.ChartRef.local(chart),
            "web",
            NS,
            new HelmOps.Values(List.of(), "greeting: ignored\n"),
            List.of(),
            new HelmOps.Bounds(Duration.ofSeconds(30), null));
    List<Map<String, Object>> back = new ArrayList<>();
    for (var d : KubernetesManifests.declared("deploy.web", "again", again)) {
      back.add(d.object());
    }
    // (Helm's template prints neither hooks nor CRDs: the Job is a hook again)
    assertThat(back)
        .containsExactlyInAnyOrderElementsOf(
            render.objects().stream()
                .filter(o -> !o.hook())
                .map(HelmManifests.ChartObject::object)
                .toList());
    assertThat(again).contains("# Source: web/templates/").doesNotContain("kind: Job");
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> dir.relativize(f).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void aTemplateErrorNamesTheActionTheChartAndHelmsFileAndLine() {
    assertThatThrownBy(
            () -> offline().render(context(BROKEN, Map.of("chart", Map.of("path", "chart")))))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.HELM_FAILED);
              assertThat(e.getMessage())
                  .startsWith("deploy.web: chart chart: ")
                  .contains("broken/templates/config.yaml:6");
            });
  }

  @Test
  void aValuesFileThatIsNotYamlKeepsHelmsLine(@TempDir Path dir) throws Exception {
    copy(WEB, dir);
    Files.writeString(dir.resolve("values/dev.yaml"), "replicas: 2\ngreeting: [unclosed\n");
    assertThatThrownBy(() -> offline().render(context(dir, webSpec())))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.HELM_FAILED);
              assertThat(e.getMessage()).startsWith("deploy.web: chart chart: ").contains("line");
            });
  }

  @Test
  void aMissingValueFileOrChartNamesTheProperty(@TempDir Path dir) throws Exception {
    Map<String, Object> spec = webSpec();
    spec.put("valueFiles", List.of("values/prod.yaml"));
    assertThatThrownBy(() -> offline().render(context(WEB, spec)))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
              assertThat(e.getMessage()).contains("spec.valueFiles[0] is values/prod.yaml");
            });
    assertThatThrownBy(() -> offline().render(context(dir, Map.of())))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
              assertThat(e.getMessage()).contains("no chart.path").contains("has no Chart.yaml");
              assertThat(e.suggestion()).contains("spec.chart.path");
            });
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  @Test
  void releaseStatesAsGroveNamesThem() {
    String mine = "grove deploy.web " + VERSION;
    assertThat(HelmDeployHandler.releaseState(Optional.empty(), mine)).isEqualTo("missing");
    assertThat(HelmDeployHandler.releaseState(Optional.of(release("deployed", mine)), mine))
        .isEqualTo("ready");
    assertThat(
            HelmDeployHandler.releaseState(
                Optional.of(release("deployed", "grove deploy.web v-0000000000")), mine))
        .isEqualTo("outdated");
    assertThat(
            HelmDeployHandler.releaseState(Optional.of(release("deployed", "Rollback to 1")), mine))
        .isEqualTo("outdated");
    assertThat(HelmDeployHandler.releaseState(Optional.of(release("failed", mine)), mine))
        .isEqualTo("unhealthy");
    assertThat(HelmDeployHandler.releaseState(Optional.of(release("pending-upgrade", mine)), mine))
        .isEqualTo("deploying");
    assertThat(HelmDeployHandler.releaseState(Optional.of(release("superseded", mine)), mine))
        .isEqualTo("outdated");
  }

  private static HelmOps.Release release(String status, String description) {
    return new HelmOps.Release("web", NS, 3, status, "web-0.1.0", "1.0", description);
  }

  @Test
  void statusIsTheReleasesThenItsObjectsRollout(@TempDir Path home) throws Exception {
    Path kubeconfig = home.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\ncurrent-context: other\ncontexts:\n"
            + "- name: mock\n  context: {cluster: mock, user: mock}\n"
            + "- name: other\n  context: {cluster: mock, user: mock}\n"
            + "clusters:\n- name: mock\n  cluster: {server: 'https://127.0.0.1:1'}\n"
            + "users:\n- name: mock\n  user: {token: t}\n");
    try (MockCluster cluster = MockCluster.start(GrovePatchRules.RULES)) {
      var client = cluster.client();
      var target = new KubeConfigResolver.Target(kubeconfig, "mock", cluster.config());
      List<HelmOps.Cluster> asked = new CopyOnWriteArrayList<>();
      var release =
          new java.util.concurrent.atomic.AtomicReference<Optional<HelmOps.Release>>(
              Optional.empty());
      HelmOps helm =
          new HelmForTests() {
            @Override
            public Optional<Release> status(
                String releaseName, String namespace, Cluster on, Bounds bounds) {
              assertThat(releaseName).isEqualTo("web");
              assertThat(namespace).isEqualTo(NS);
              asked.add(on);
              return release.get();
            }
          };
      HelmDeployHandler handler = handler(helm, context -> new KubeCluster(client, target));
      ActionContext context = context(WEB, webSpec());

      assertThat(handler.status(context).detail()).isEqualTo("missing");
      // Helm gets the target's kubeconfig with the target's context as the current one
      assertThat(asked.get(0).kubeconfig()).contains("current-context: mock");

      release.set(Optional.of(release("deployed", "grove deploy.web v-0000000000")));
      assertThat(handler.status(context).detail()).isEqualTo("outdated");

      release.set(Optional.of(release("deployed", HelmDeployHandler.description(context))));
      // the release is current but its objects are not there
      assertThat(handler.status(context).detail()).isEqualTo("missing");

      // its objects as Helm would have created them: the rollout decides
      for (Map<String, Object> object : handler.render(context).objects()) {
        client
            .resource(
                client
                    .getKubernetesSerialization()
                    .convertValue(
                        object, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
            .createOr(r -> r.update());
      }
      assertThat(handler.status(context).detail()).isEqualTo("deploying");
      cluster.controller().rollOutDeployment(NS, "web-web");
      ActionHandler.Status ready = handler.status(context);
      assertThat(ready.ready()).isTrue();
      assertThat(ready.detail()).isEqualTo("ready");
    }
  }
}
