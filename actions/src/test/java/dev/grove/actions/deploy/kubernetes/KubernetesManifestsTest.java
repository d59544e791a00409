package dev.grove.actions.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grove.actions.deploy.kubernetes.KubernetesManifests.Rendered;
import dev.grove.actions.kube.Yamls;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.event.EventPayload.Warning;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class KubernetesManifestsTest {
  /** For specs without kustomize: KustomizeBuildTest covers the ones with it. */
  static final KustomizeBuild.Runner NO_KUSTOMIZE =
      (action, kustomize, dir) -> {
        throw new AssertionError("kustomize run for a spec without it");
      };

  private static final String VERSION = "v-0123456789";

  private static final String GAR = "europe-west1-docker.pkg.dev";

  /** The seed story's provider: Artifact Registry, one pull secret, ADC for *.pkg.dev. */
  private static final PullSecrets PROVIDER =
      new PullSecrets(
          List.of(GAR), List.of("gar-pull-secret"), h -> h.endsWith(".pkg.dev"), Set.of());

  private static final Map<String, Object> VARS =
      Map.of(
          "var.replicas", 2,
          "var.image", "registry.example.com/web:v1",
          "var.config", "a: 1\nb: [2, 3]\n");

  static Path fixture(String name) {
    try {
      return Path.of(
          KubernetesManifestsTest.class.getResource("/deploy/kubernetes/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Rendered render(String spec, String fixture) throws ActionException {
    return render(spec, fixture, new VarTemplater(VARS), PullSecrets.none());
  }

  private static Rendered render(
      String spec, String fixture, ManifestTemplater templater, PullSecrets pullSecrets)
      throws ActionException {
    return KubernetesManifests.render(
        "web",
        VERSION,
        KubernetesDeploySpec.parse(Yamls.map(spec), "deploy.web"),
        fixture(fixture),
        "shop-dev",
        templater,
        pullSecrets,
        NO_KUSTOMIZE);
  }

  private static ActionException failure(String spec, String fixture) {
    return catchThrowableOfType(ActionException.class, () -> render(spec, fixture));
  }

  /** A manifest file that is a link to a device is refused at once, not read forever. */
  @Test
  void aManifestLinkToADeviceIsRefusedSayingWhat(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    java.nio.file.Files.createSymbolicLink(dir.resolve("zero.yml"), Path.of("/dev/zero"));
    ActionException e =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () ->
                catchThrowableOfType(
                    ActionException.class,
                    () ->
                        KubernetesManifests.render(
                            "web",
                            VERSION,
                            KubernetesDeploySpec.parse(
                                Yamls.map("manifestFiles: [zero.yml]"), "deploy.web"),
                            dir,
                            "shop-dev",
                            new VarTemplater(VARS),
                            PullSecrets.none(),
                            NO_KUSTOMIZE)));
    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .contains("zero.yml")
        .contains("a character device, not a regular file");
  }

  /** {@code Kind name} of each object, in order. */
  private static List<String> names(Rendered rendered) {
    return rendered.objects().stream()
        .map(o -> o.get("kind") + " " + Yamls.at(o, "metadata.name"))
        .toList();
  }

  private static Map<String, Object> object(Rendered rendered, String kind, String name) {
    return rendered.objects().stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(Yamls.at(o, "metadata.name")))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + kind + " " + name + " in " + names(rendered)));
  }

  @Nested
  class Reading {

    @Test
    void inlineManifestsComeFirstThenTemplatedFilesThenManifestFiles() throws Exception {
      VarTemplater templater = new VarTemplater(VARS);
      Rendered rendered =
          render(
              """
              manifests:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: inline}}
              files: [manifests/deployment.yml]
              manifestFiles: [raw/config.yml]
              """,
              "app",
              templater,
              PullSecrets.none());

      assertThat(names(rendered))
          .containsExactly("ConfigMap inline", "Deployment web", "Service web", "ConfigMap raw");
      assertThat(rendered.warnings()).isEmpty();
    }

    @Test
    void templatedFilesAreResolvedDocumentByDocumentWithTheFileAndItsIndex() throws Exception {
      VarTemplater templater = new VarTemplater(VARS);
      Rendered rendered =
          render(
              "manifestTemplates: [manifests/deployment.yml]",
              "app",
              templater,
              PullSecrets.none());

      // Documents 0 and 2: the empty one between them is skipped but counted.
      assertThat(templater.calls)
          .containsExactly("manifests/deployment.yml#0", "manifests/deployment.yml#2");
      Map<String, Object> deployment = object(rendered, "Deployment", "web");
      assertThat(Yamls.at(deployment, "spec.replicas")).isEqualTo(2);
      assertThat(Yamls.at(deployment, "spec.template.spec.containers[0].image"))
          .isEqualTo("registry.example.com/web:v1");
      // A multi-line value stays one string (Garden's text templating would break the YAML).
      assertThat(Yamls.at(deployment, "spec.template.spec.containers[0].env[0].value"))
          .isEqualTo("a: 1\nb: [2, 3]\n");
      assertThat(Yamls.at(deployment, "spec.template.spec.containers[0].env[1].value"))
          .isEqualTo("yes");
    }

    @Test
    void manifestFilesAreNotTemplated() throws Exception {
      VarTemplater templater = new VarTemplater(VARS);
      Rendered rendered =
          render("manifestFiles: [raw/config.yml]", "app", templater, PullSecrets.none());

      assertThat(templater.calls).isEmpty();
      assertThat(Yamls.at(object(rendered, "ConfigMap", "raw"), "data"))
          .isEqualTo(Map.of("literal", "${var.image}", "enabled", "yes"));
    }

    @Test
    void filesIsNotReadWhenManifestTemplatesIsSetAndAWarningSaysSo() throws Exception {
      Rendered rendered =
          render(
              """
              files: [raw/config.yml]
              manifestTemplates: [manifests/deployment.yml]
              """,
              "app");

      assertThat(names(rendered)).containsExactly("Deployment web", "Service web");
      assertThat(rendered.warnings())
          .extracting(Warning::code)
          .containsExactly(ActionCodes.GROVE_FILES_IGNORED);
      assertThat(rendered.warnings().get(0).message()).contains("raw/config.yml");
    }

    @Test
    void aTemplateErrorStopsTheRender() {
      ActionException e =
          catchThrowableOfType(
              ActionException.class,
              () ->
                  render(
                      "files: [manifests/deployment.yml]",
                      "app",
                      new VarTemplater(Map.of()),
                      PullSecrets.none()));

      assertThat(e.code()).isEqualTo("TEMPLATE_ERROR");
      assertThat(e.getMessage()).startsWith("manifests/deployment.yml document 1: ");
    }

    @Test
    void aMissingFileNamesTheActionTheFileAndThePathRelativeToTheBuildFolder() {
      // Garden 0.13's pitfall: with build: backend, paths are relative to the Build's folder.
      ActionException e = failure("files: [backend/deployment.yml]", "build-pitfall/backend");

      assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
      assertThat(e.getMessage())
          .isEqualTo(
              "deploy.web: spec.files lists backend/deployment.yml, but there is no such file in "
                  + fixture("build-pitfall/backend")
                  + ".");
      assertThat(e.suggestion())
          .contains("relative to the action's build folder")
          .contains("build:")
          .endsWith("Write deployment.yml instead of backend/deployment.yml.");
    }

    @Test
    void aMissingFileWithNoLikelyFixAsksToCheckThePath() {
      ActionException e = failure("manifestFiles: [nowhere.yml]", "app");

      assertThat(e.getMessage()).startsWith("deploy.web: spec.manifestFiles lists nowhere.yml,");
      assertThat(e.suggestion()).endsWith("Check the path and where the file is.");
    }

    @Test
    void globsMatchFilesInNameOrderSkippingHiddenOnes() throws Exception {
      assertThat(names(render("manifestFiles: [\"manifests/**/*.yml\"]", "globs")))
          .containsExactly("ConfigMap a", "ConfigMap c");
      assertThat(names(render("manifestFiles: [\"manifests/*.{yml,yaml}\"]", "globs")))
          .containsExactly("ConfigMap a", "ConfigMap b");
      assertThat(names(render("manifestFiles: [\"manifests/.*.yml\"]", "globs")))
          .containsExactly("ConfigMap hidden");
    }

    @Test
    void aGlobMatchingNothingIsAnError() {
      ActionException e = failure("manifestFiles: [\"manifests/*.json\"]", "globs");

      assertThat(e.getMessage())
          .isEqualTo(
              "deploy.web: spec.manifestFiles has manifests/*.json, which matches no file in "
                  + fixture("globs")
                  + ".");
    }

    @Test
    void aDocumentThatIsNotAnObjectIsAnErrorNamingTheFileAndTheDocument() {
      ActionException e = failure("manifestFiles: [not-an-object.yml]", "broken");

      assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
      // Documents are numbered from 1 in messages, with the line they start at.
      assertThat(e.getMessage())
          .isEqualTo(
              "deploy.web: not-an-object.yml document 2 (line 5) is not a Kubernetes object: it"
                  + " is a list.");
      assertThat(e.suggestion()).contains("apiVersion, kind and metadata.name");
    }

    @Test
    void anObjectWithoutANameIsAnError() {
      assertThat(failure("manifestFiles: [no-name.yml]", "broken").getMessage())
          .isEqualTo(
              "deploy.web: no-name.yml document 1 (line 1) is not a Kubernetes object: it has no"
                  + " metadata.name.");
      assertThat(failure("manifests: [{apiVersion: v1, metadata: {name: x}}]", "app").getMessage())
          .isEqualTo("deploy.web: spec.manifests[0] is not a Kubernetes object: it has no kind.");
    }

    @Test
    void anInvalidListItemIsNamedByItsPlaceInTheList() {
      assertThat(failure("manifestFiles: [bad-list.yml]", "broken").getMessage())
          .isEqualTo(
              "deploy.web: bad-list.yml document 1 (line 1), item 2 of its List is not a"
                  + " Kubernetes object: it has no kind.");
    }

    @Test
    void listsAreExpandedIntoTheirItems() throws Exception {
      Rendered rendered =
          render(
              """
              manifests:
                - apiVersion: v1
                  kind: List
                  items:
                    - {apiVersion: v1, kind: Secret, metadata: {name: inline}}
              manifestFiles: [list.yml]
              """,
              "lists");

      // DeploymentList is empty; AllowList is a custom kind with a name, not a list.
      assertThat(names(rendered))
          .containsExactly("Secret inline", "ConfigMap a", "ConfigMap b", "AllowList office");
    }
  }

  @Nested
  class Duplicates {

    @Test
    void anObjectDeclaredTwiceIsAnErrorNamingBothPlaces() {
      ActionException e =
          failure(
              """
              manifests:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
              manifestFiles: [list.yml]
              """,
              "lists");

      assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
      assertThat(e.getMessage())
          .isEqualTo(
              "deploy.web: ConfigMap a (namespace shop-dev) is declared twice: in"
                  + " spec.manifests[0] and in list.yml document 1 (line 1), item 1 of its List.");
    }

    @Test
    void theNamespaceGivenByDefaultCountsAsWritten() {
      ActionException e =
          failure(
              """
              manifests:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop-dev}}
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
              """,
              "app");

      assertThat(e.getMessage()).contains("ConfigMap a (namespace shop-dev) is declared twice");
    }

    @Test
    void clusterScopedObjectsAreDuplicatesWhateverTheirNamespace() {
      ActionException e =
          failure(
              """
              manifests:
                - {apiVersion: v1, kind: Namespace, metadata: {name: tools}}
                - {apiVersion: v1, kind: Namespace, metadata: {name: tools, namespace: x}}
              """,
              "app");

      assertThat(e.getMessage())
          .isEqualTo(
              "deploy.web: Namespace tools is declared twice: in spec.manifests[0] and in"
                  + " spec.manifests[1].");
    }

    @Test
    void otherNamespacesAndOtherApiGroupsAreOtherObjects() throws Exception {
      Rendered rendered =
          render(
              """
              manifests:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: other}}
                - {apiVersion: apps/v1, kind: Deployment, metadata: {name: a}}
                - {apiVersion: example.com/v1, kind: Deployment, metadata: {name: a}}
                - {apiVersion: apps/v1beta2, kind: Secret, metadata: {name: a}}
              """,
              "app");

      assertThat(rendered.objects()).hasSize(5);
    }
  }

  @Nested
  class PatchResources {

    private static final String MANIFESTS =
        """
        manifests:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: web:v1
                      env: [{name: A, value: "1"}]
                    - {name: sidecar, image: proxy:v1}
          - apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{name: http, port: 80}, {name: grpc, port: 81}]
        """;

    @Test
    void aStrategicPatchMergesListsByTheirKeys() throws Exception {
      Rendered rendered =
          render(
              MANIFESTS
                  + """
                  patchResources:
                    - kind: Deployment
                      name: web
                      patch:
                        spec:
                          template:
                            spec:
                              containers: [{name: web, image: web:v2}]
                  """,
              "app");

      Map<String, Object> deployment = object(rendered, "Deployment", "web");
      assertThat(Yamls.at(deployment, "spec.template.spec.containers[0].image"))
          .isEqualTo("web:v2");
      assertThat(Yamls.at(deployment, "spec.template.spec.containers[0].env[0].name"))
          .isEqualTo("A");
      assertThat(Yamls.at(deployment, "spec.template.spec.containers[1].name"))
          .isEqualTo("sidecar");
      assertThat(rendered.warnings()).isEmpty();
    }

    @Test
    void aMergePatchReplacesLists() throws Exception {
      Rendered rendered =
          render(
              MANIFESTS
                  + """
                  patchResources:
                    - kind: Service
                      name: web
                      strategy: merge
                      patch: {spec: {ports: [{name: http, port: 8080}], type: NodePort}}
                  """,
              "app");

      Map<String, Object> service = object(rendered, "Service", "web");
      assertThat(Yamls.at(service, "spec.ports"))
          .isEqualTo(List.of(Map.of("name", "http", "port", 8080)));
      assertThat(Yamls.at(service, "spec.type")).isEqualTo("NodePort");
    }

    @Test
    void aJsonPatchAppliesItsOperations() throws Exception {
      Rendered rendered =
          render(
              MANIFESTS
                  + """
                  patchResources:
                    - kind: Deployment
                      name: web
                      strategy: json
                      patch:
                        - {op: replace, path: /spec/replicas, value: 3}
                        - {op: remove, path: /spec/template/spec/containers/1}
                  """,
              "app");

      Map<String, Object> deployment = object(rendered, "Deployment", "web");
      assertThat(Yamls.at(deployment, "spec.replicas")).isEqualTo(3);
      assertThat((List<?>) Yamls.at(deployment, "spec.template.spec.containers")).hasSize(1);
    }

    @Test
    void twoEntriesForOneObjectBothApplyInOrder() throws Exception {
      Rendered rendered =
          render(
              MANIFESTS
                  + """
                  patchResources:
                    - {kind: Deployment, name: web, patch: {spec: {replicas: 2}}}
                    - {kind: Deployment, name: web, strategy: merge,
                       patch: {spec: {replicas: 4, paused: true}}}
                  """,
              "app");

      Map<String, Object> deployment = object(rendered, "Deployment", "web");
      assertThat(Yamls.at(deployment, "spec.replicas")).isEqualTo(4);
      assertThat(Yamls.at(deployment, "spec.paused")).isEqualTo(true);
    }

    @Test
    void aPatchMatchingNothingIsAWarningNamingTheEntryKindAndName() throws Exception {
      Rendered rendered =
          render(
              MANIFESTS
                  + """
                  patchResources:
                    - {kind: Deployment, name: web, patch: {spec: {replicas: 2}}}
                    - {kind: deployment, name: web, patch: {spec: {replicas: 3}}}
                  """,
              "app");

      assertThat(Yamls.at(object(rendered, "Deployment", "web"), "spec.replicas")).isEqualTo(2);
      assertThat(rendered.warnings())
          .containsExactly(
              new Warning(
                  ActionCodes.GROVE_PATCH_UNMATCHED,
                  "deploy.web: spec.patchResources[1] patches deployment web, but the manifests"
                      + " have no deployment named web; the patch does nothing.",
                  "Set kind and name as the object's kind and metadata.name (both"
                      + " case-sensitive), or remove the entry. The manifests have Deployment"
                      + " web, Service web."));
    }

    @Test
    void aPatchThatDoesNotApplyIsAnErrorNamingTheEntry() {
      ActionException e =
          failure(
              MANIFESTS
                  + """
                  patchResources:
                    - kind: Deployment
                      name: web
                      strategy: json
                      patch: [{op: remove, path: /spec/strategy}]
                  """,
              "app");

      assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
      assertThat(e.getMessage())
          .startsWith(
              "deploy.web: spec.patchResources[0] (json patch of Deployment web) does not apply"
                  + " to spec.manifests[0]: ")
          .contains("/spec/strategy");
      assertThat(e.suggestion()).isNotBlank();
    }

    @Test
    void aPatchThatRemovesTheNameIsAnError() {
      ActionException e =
          failure(
              MANIFESTS
                  + """
                  patchResources:
                    - {kind: Service, name: web, strategy: merge, patch: {metadata: {name: null}}}
                  """,
              "app");

      assertThat(e.getMessage())
          .isEqualTo(
              "deploy.web: spec.patchResources[0] removes the metadata.name of"
                  + " spec.manifests[1].");
    }
  }

  @Nested
  class Namespaces {

    private static final String MANIFESTS =
        """
        manifests:
          - {apiVersion: v1, kind: ConfigMap, metadata: {name: config}}
          - {apiVersion: v1, kind: ConfigMap, metadata: {name: elsewhere, namespace: tools}}
          - {apiVersion: v1, kind: Namespace, metadata: {name: tools}}
          - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: r}}
          - {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r}}
          - {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition,
             metadata: {name: widgets.example.com}}
          - {apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {name: fast}}
          - {apiVersion: networking.k8s.io/v1, kind: IngressClass, metadata: {name: nginx}}
          - {apiVersion: example.com/v1, kind: Widget, metadata: {name: w}}
        """;

    @Test
    void namespacedObjectsWithoutANamespaceGetTheDefaultOne() throws Exception {
      Rendered rendered = render(MANIFESTS, "app");

      Map<String, String> namespaces = new LinkedHashMap<>();
      rendered
          .objects()
          .forEach(
              o ->
                  namespaces.put(
                      o.get("kind") + " " + Yamls.at(o, "metadata.name"),
                      (String) Yamls.at(o, "metadata.namespace")));
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("ConfigMap config", "shop-dev");
      expected.put("ConfigMap elsewhere", "tools");
      expected.put("Namespace tools", null);
      expected.put("ClusterRole r", null);
      expected.put("Role r", "shop-dev");
      expected.put("CustomResourceDefinition widgets.example.com", null);
      expected.put("StorageClass fast", null);
      expected.put("IngressClass nginx", null);
      // A kind Grove does not know is taken as namespaced.
      expected.put("Widget w", "shop-dev");
      assertThat(namespaces).containsExactlyEntriesOf(expected);
    }

    @Test
    void theSpecsNamespaceWinsOverTheDefault() throws Exception {
      Rendered rendered = render(MANIFESTS + "namespace: shop-feature\n", "app");

      assertThat(Yamls.at(object(rendered, "ConfigMap", "config"), "metadata.namespace"))
          .isEqualTo("shop-feature");
      assertThat(Yamls.at(object(rendered, "ConfigMap", "elsewhere"), "metadata.namespace"))
          .isEqualTo("tools");
    }
  }

  @Nested
  class Labels {

    @Test
    void everyObjectGetsTheActionLabelAndTheVersionAnnotationAndKeepsTheUsersOwn()
        throws Exception {
      Rendered rendered =
          render(
              """
              manifests:
                - {apiVersion: v1, kind: Namespace, metadata: {name: tools}}
                - apiVersion: v1
                  kind: ConfigMap
                  metadata:
                    name: config
                    labels: {team: web, grove.dev/action: deploy.other}
                    annotations: {owner: me}
              """,
              "app");

      Map<String, Object> namespace = object(rendered, "Namespace", "tools");
      assertThat(Yamls.mapAt(namespace, "metadata.labels"))
          .containsExactly(
              Map.entry("app.kubernetes.io/managed-by", "grove"),
              Map.entry("grove.dev/action", "deploy.web"));
      assertThat(Yamls.mapAt(namespace, "metadata.annotations"))
          .containsExactly(Map.entry("grove.dev/version", VERSION));
      Map<String, Object> config = object(rendered, "ConfigMap", "config");
      assertThat(Yamls.mapAt(config, "metadata.labels"))
          .containsExactly(
              Map.entry("team", "web"),
              Map.entry("grove.dev/action", "deploy.web"),
              Map.entry("app.kubernetes.io/managed-by", "grove"));
      assertThat(Yamls.mapAt(config, "metadata.annotations"))
          .containsExactly(Map.entry("owner", "me"), Map.entry("grove.dev/version", VERSION));
    }

    @Test
    void aManagedByTheUserWroteStaysAndSelectorsAndPodTemplatesAreNotTouched() throws Exception {
      Rendered rendered = render("files: [manifests/deployment.yml]", "app");

      Map<String, Object> deployment = object(rendered, "Deployment", "web");
      assertThat(Yamls.mapAt(deployment, "metadata.labels"))
          .containsExactly(
              Map.entry("app", "web"),
              Map.entry("app.kubernetes.io/managed-by", "team-web"),
              Map.entry("grove.dev/action", "deploy.web"));
      assertThat(Yamls.at(deployment, "spec.selector"))
          .isEqualTo(Map.of("matchLabels", Map.of("app", "web")));
      assertThat(Yamls.at(deployment, "spec.template.metadata"))
          .isEqualTo(Map.of("labels", Map.of("app", "web")));
      assertThat(Yamls.at(object(rendered, "Service", "web"), "spec.selector"))
          .isEqualTo(Map.of("app", "web"));
    }

    @Test
    void theSameInputRendersTheSameBytes() throws Exception {
      String spec =
          """
          manifests: [{apiVersion: v1, kind: ConfigMap, metadata: {name: inline}}]
          files: [manifests/deployment.yml]
          manifestFiles: [raw/config.yml]
          patchResources:
            - {kind: Service, name: web, patch: {spec: {type: NodePort}}}
          """;

      assertThat(render(spec, "app").objects().toString())
          .isEqualTo(render(spec, "app").objects().toString());
    }
  }

  @Nested
  class PullSecretsStep {

    /** Each workload kind of pods/workloads.yml and where its pod spec is. */
    private static final Map<String, String> POD_SPECS =
        Map.of(
            "Deployment deployment", "spec.template.spec",
            "StatefulSet statefulset", "spec.template.spec",
            "DaemonSet daemonset", "spec.template.spec",
            "ReplicaSet replicaset", "spec.template.spec",
            "Job job", "spec.template.spec",
            "CronJob cronjob", "spec.jobTemplate.spec.template.spec",
            "Pod pod", "spec");

    private Rendered renderPods(String spec, PullSecrets secrets) throws ActionException {
      return render(spec, "pods", ManifestTemplater.NONE, secrets);
    }

    @Test
    void providerInjectsTheProvidersSecretsIntoEveryPodTemplateKind() throws Exception {
      Rendered rendered =
          renderPods("manifestFiles: [workloads.yml]\nimagePullSecrets: provider\n", PROVIDER);

      assertThat(names(rendered)).containsExactlyInAnyOrderElementsOf(POD_SPECS.keySet());
      for (Map<String, Object> object : rendered.objects()) {
        String which = object.get("kind") + " " + Yamls.at(object, "metadata.name");
        assertThat(Yamls.at(object, POD_SPECS.get(which) + ".imagePullSecrets"))
            .as(which)
            .isEqualTo(List.of(Map.of("name", "gar-pull-secret")));
      }
      assertThat(rendered.warnings()).isEmpty();
    }

    @Test
    void providerKeepsTheSecretsAPodHasAndLeavesPublicImagesAlone() throws Exception {
      PullSecrets twoSecrets =
          new PullSecrets(
              List.of(GAR), List.of("team-secret", "gar-pull-secret"), h -> false, Set.of());
      Rendered rendered =
          renderPods("manifestFiles: [mixed.yml]\nimagePullSecrets: provider\n", twoSecrets);

      assertThat(Yamls.at(object(rendered, "Deployment", "has-secret"), "spec.template.spec"))
          .extracting(spec -> Yamls.at(spec, "imagePullSecrets"))
          .isEqualTo(List.of(Map.of("name", "team-secret"), Map.of("name", "gar-pull-secret")));
      assertThat(
              Yamls.at(
                  object(rendered, "Deployment", "public"), "spec.template.spec.imagePullSecrets"))
          .isNull();
    }

    @Test
    void injectionHappensAfterPatches() throws Exception {
      Rendered rendered =
          renderPods(
              """
              manifestFiles: [workloads.yml]
              imagePullSecrets: provider
              patchResources:
                - kind: Pod
                  name: pod
                  strategy: merge
                  patch: {spec: {imagePullSecrets: [{name: patched}]}}
              """,
              PROVIDER);

      assertThat(Yamls.at(object(rendered, "Pod", "pod"), "spec.imagePullSecrets"))
          .isEqualTo(List.of(Map.of("name", "patched"), Map.of("name", "gar-pull-secret")));
    }

    @Test
    void withoutProviderEveryPodTemplateWithoutASecretIsWarnedAbout() throws Exception {
      Rendered rendered = renderPods("manifestFiles: [workloads.yml]", PROVIDER);

      assertThat(rendered.warnings())
          .hasSize(7)
          .allSatisfy(w -> assertThat(w.code()).isEqualTo("GROVE_PULL_SECRET"));
      assertThat(rendered.warnings())
          .extracting(Warning::message)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith(
                          "deploy.web: Pod pod pulls " + GAR + "/my-project/my-repo/init:v1"));
      Warning cronJob =
          rendered.warnings().stream()
              .filter(w -> w.message().startsWith("deploy.web: CronJob cronjob "))
              .findFirst()
              .orElseThrow();
      assertThat(cronJob.suggestion())
          .contains(
              """
                  patch:
                    spec:
                      jobTemplate:
                        spec:
                          template:
                            spec:
                              imagePullSecrets:
                                - name: gar-pull-secret
              """);
      assertThat(rendered.objects())
          .allSatisfy(o -> assertThat(o.toString()).doesNotContain("imagePullSecrets"));
    }

    @Test
    void noWarningForPublicImagesPodSecretsOrAServiceAccountWithSecrets() throws Exception {
      assertThat(renderPods("manifestFiles: [mixed.yml]", PROVIDER).warnings()).isEmpty();
    }

    @Test
    void noWarningWhenTheCallerKnowsTheServiceAccountHasSecrets() throws Exception {
      PullSecrets defaultHasSecrets =
          new PullSecrets(List.of(GAR), List.of("gar-pull-secret"), h -> false, Set.of("default"));

      assertThat(renderPods("manifestFiles: [workloads.yml]", defaultHasSecrets).warnings())
          .isEmpty();
    }

    @Test
    void aRegistryWithCredentialsCountsAsPrivate() throws Exception {
      String spec =
          """
          manifests:
            - apiVersion: v1
              kind: Pod
              metadata: {name: tool}
              spec:
                containers: [{name: tool, image: ghcr.io/acme/tool:1}]
          """;
      PullSecrets ghcr = new PullSecrets(List.of(GAR), List.of(), "ghcr.io"::equals, Set.of());

      assertThat(renderPods(spec, ghcr).warnings())
          .singleElement()
          .satisfies(
              w -> {
                assertThat(w.message()).contains("from the private registry ghcr.io");
                assertThat(w.suggestion())
                    .contains("- name: <pull-secret>")
                    .contains("add imagePullSecrets to the kubernetes provider");
              });
      assertThat(renderPods(spec, PROVIDER).warnings()).isEmpty();
    }

    @Test
    void providerWithAProviderWithoutSecretsIsOneWarning() throws Exception {
      PullSecrets noSecrets = new PullSecrets(List.of(GAR), List.of(), h -> false, Set.of());

      Rendered rendered =
          renderPods("manifestFiles: [workloads.yml]\nimagePullSecrets: provider\n", noSecrets);

      assertThat(rendered.warnings())
          .singleElement()
          .satisfies(
              w -> {
                assertThat(w.code()).isEqualTo(ActionCodes.GROVE_PULL_SECRET);
                assertThat(w.message())
                    .startsWith("deploy.web sets spec.imagePullSecrets: provider, but the");
              });
    }
  }

  /**
   * The story that started the project (a kubernetes Deploy pulling from a private registry), with
   * {@code ${var.*}} already resolved.
   */
  @Nested
  class SeedStory {

    private static final String SPEC =
        """
        files: [backend/deployment.yml]
        """;

    private static final String PATCH =
        """
        patchResources:
          - kind: Deployment
            name: backend
            patch:
              spec:
                template:
                  spec:
                    imagePullSecrets:
                      - name: gar-pull-secret
        """;

    private static final String IMAGE = GAR + "/my-project/my-repo/backend:v1";

    private Rendered renderBackend(String spec) throws ActionException {
      return KubernetesManifests.render(
          "backend",
          VERSION,
          KubernetesDeploySpec.parse(Yamls.map(spec), "deploy.backend"),
          fixture("seed-story"),
          "seed-dev",
          new VarTemplater(Map.of("actions.build.backend.outputs.deployment-image-id", IMAGE)),
          PROVIDER,
          NO_KUSTOMIZE);
    }

    @Test
    void thePatchResourcesWorkaroundRendersTheSecretAndNoWarning() throws Exception {
      Rendered rendered = renderBackend(SPEC + PATCH);

      Map<String, Object> deployment = rendered.objects().get(0);
      assertThat(names(rendered)).containsExactly("Deployment backend");
      assertThat(Yamls.at(deployment, "metadata.namespace")).isEqualTo("seed-dev");
      assertThat(Yamls.at(deployment, "spec.template.spec.containers[0].image")).isEqualTo(IMAGE);
      assertThat(Yamls.at(deployment, "spec.template.spec.imagePullSecrets"))
          .isEqualTo(List.of(Map.of("name", "gar-pull-secret")));
      assertThat(rendered.warnings()).isEmpty();
    }

    @Test
    void withoutThePatchTheLintWarnsBeforeApplyAndPrintsThePatch() throws Exception {
      Rendered rendered = renderBackend(SPEC);

      assertThat(rendered.warnings()).hasSize(1);
      Warning warning = rendered.warnings().get(0);
      assertThat(warning.code()).isEqualTo("GROVE_PULL_SECRET");
      assertThat(warning.message())
          .isEqualTo(
              "deploy.backend: Deployment backend pulls "
                  + IMAGE
                  + " from the private registry "
                  + GAR
                  + ", but its pods have no imagePullSecrets and Grove knows of none on their"
                  + " service account default; they will fail with ImagePullBackOff.");
      assertThat(warning.suggestion())
          .contains("patchResources entry in the spec of deploy.backend")
          .contains(PATCH)
          .contains("spec.imagePullSecrets: provider");
    }

    @Test
    void providerInjectsWhatThePatchWouldHaveAdded() throws Exception {
      Rendered rendered = renderBackend(SPEC + "imagePullSecrets: provider\n");

      assertThat(Yamls.at(rendered.objects().get(0), "spec.template.spec.imagePullSecrets"))
          .isEqualTo(List.of(Map.of("name", "gar-pull-secret")));
      assertThat(rendered.warnings()).isEmpty();
    }
  }
}
