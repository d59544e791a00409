package dev.grove.actions.kube.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.api.value.ValueTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
        labels: {app: api, tier: backend}
      spec:
        replicas: 1
        template:
          spec:
            containers:
            - name: api
              image: api:1
              args: [--port, "8080"]
              env:
              - {name: A, value: "1"}
              - {name: B, value: "2"}
            - name: sidecar
              image: proxy:1
            tolerations:
            - {key: a, operator: Exists}
      """;

  private static Map<String, Object> apply(String object, String patch) throws PatchException {
    return StrategicMergePatch.apply(Yaml.map(object), Yaml.map(patch));
  }

  private static Object at(Map<String, Object> object, String... path) {
    Object current = object;
    for (String p : path) {
      current =
          current instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<?, ?>) current).get(p);
    }
    return current;
  }

  private static List<Object> names(Object list) {
    List<Object> names = new ArrayList<>();
    for (Object item : (List<?>) list) {
      names.add(((Map<?, ?>) item).get("name"));
    }
    return names;
  }

  @Test
  void containersMergeByNameAndNewOnesComeFirst() throws Exception {
    Map<String, Object> result =
        apply(
            DEPLOYMENT,
            """
            spec:
              template:
                spec:
                  containers:
                  - {name: init-db, image: db:1}
                  - {name: api, image: api:2}
            """);

    Object containers = at(result, "spec", "template", "spec", "containers");
    assertThat(containers)
        .isEqualTo(
            Yaml.value(
                """
                - {name: init-db, image: db:1}
                - name: api
                  image: api:2
                  args: [--port, "8080"]
                  env:
                  - {name: A, value: "1"}
                  - {name: B, value: "2"}
                - {name: sidecar, image: proxy:1}
                """));
  }

  /** An item the object has stays ahead of a patch item the object lists after it. */
  @Test
  void envMergesByNameInsideAContainer() throws Exception {
    Map<String, Object> result =
        apply(
            DEPLOYMENT,
            """
            spec:
              template:
                spec:
                  containers:
                  - name: api
                    env:
                    - {name: B, value: two}
                    - {name: C, value: "3"}
            """);

    assertThat(at(result, "spec", "template", "spec", "containers", "0", "env"))
        .isEqualTo(
            Yaml.value("[{name: A, value: '1'}, {name: B, value: two}, {name: C, value: '3'}]"));
  }

  @Test
  void listsWithoutAMergeKeyAreReplaced() throws Exception {
    Map<String, Object> result =
        apply(
            DEPLOYMENT,
            """
            spec:
              template:
                spec:
                  containers:
                  - {name: api, args: [--debug]}
                  tolerations:
                  - {key: b, operator: Exists}
            """);

    assertThat(at(result, "spec", "template", "spec", "containers", "0", "args"))
        .isEqualTo(List.of("--debug"));
    assertThat(at(result, "spec", "template", "spec", "tolerations"))
        .isEqualTo(Yaml.value("[{key: b, operator: Exists}]"));
  }

  @Test
  void nullDeletesAKeyAndExistingKeysKeepTheirPlace() throws Exception {
    Map<String, Object> result =
        apply(DEPLOYMENT, "metadata: {labels: {tier: null, zone: eu}, annotations: {a: b}}");

    assertThat(at(result, "metadata", "labels")).isEqualTo(Map.of("app", "api", "zone", "eu"));
    assertThat(result.keySet()).containsExactly("apiVersion", "kind", "metadata", "spec");
    assertThat(new ArrayList<Object>(((Map<?, ?>) result.get("metadata")).keySet()))
        .containsExactly("name", "labels", "annotations");
  }

  @Test
  void patchDeleteRemovesAListItemByItsMergeKey() throws Exception {
    Map<String, Object> result =
        apply(
            DEPLOYMENT,
            "spec: {template: {spec: {containers: [{name: sidecar, $patch: delete}]}}}");

    assertThat(names(at(result, "spec", "template", "spec", "containers"))).containsExactly("api");
  }

  @Test
  void patchDeleteOnAMapLeavesAnEmptyMapAsKubectlDoes() throws Exception {
    Map<String, Object> result = apply(DEPLOYMENT, "metadata: {labels: {$patch: delete}}");

    assertThat(at(result, "metadata", "labels")).isEqualTo(Map.of());
  }

  @Test
  void patchReplaceInAListReplacesTheWholeList() throws Exception {
    Map<String, Object> result =
        apply(
            DEPLOYMENT,
            "spec: {template: {spec: {containers: [{name: only, image: x}, {$patch: replace}]}}}");

    assertThat(at(result, "spec", "template", "spec", "containers"))
        .isEqualTo(Yaml.value("[{name: only, image: x}]"));
  }

  @Test
  void patchReplaceOnAMapReplacesIt() throws Exception {
    Map<String, Object> result =
        apply(DEPLOYMENT, "metadata: {labels: {$patch: replace, only: one}}");

    assertThat(at(result, "metadata", "labels")).isEqualTo(Map.of("only", "one"));
  }

  @Test
  void patchMergeDirectiveIsRefusedAsKubectlDoes() {
    assertThatThrownBy(() -> apply(DEPLOYMENT, "metadata: {labels: {$patch: merge, a: b}}"))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("metadata.labels")
        .hasMessageContaining("$patch");
    assertThatThrownBy(
            () ->
                apply(
                    DEPLOYMENT,
                    "spec: {template: {spec: {containers: [{name: api, $patch: merge}]}}}"))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("spec.template.spec.containers");
  }

  @Test
  void retainKeysClearsTheKeysItDoesNotName() throws Exception {
    Map<String, Object> result =
        apply(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            spec:
              strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
            """,
            "spec: {strategy: {$retainKeys: [type], type: Recreate}}");

    assertThat(at(result, "spec", "strategy")).isEqualTo(Map.of("type", "Recreate"));
  }

  @Test
  void retainKeysMustNameEveryKeyThePatchSets() {
    assertThatThrownBy(
            () ->
                apply(
                    "{apiVersion: apps/v1, kind: Deployment, spec: {strategy: {type: A}}}",
                    "spec: {strategy: {$retainKeys: [type], type: R, x: 1}}"))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("spec.strategy")
        .hasMessageContaining("$retainKeys");
  }

  @Test
  void finalizersMergeAsASetAndDeleteFromPrimitiveListRemovesOnes() throws Exception {
    String object = "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, finalizers: [a, b, c]}}";

    assertThat(at(apply(object, "metadata: {finalizers: [d, a]}"), "metadata", "finalizers"))
        .isEqualTo(List.of("d", "a", "b", "c"));
    assertThat(
            at(
                apply(object, "metadata: {$deleteFromPrimitiveList/finalizers: [b]}"),
                "metadata",
                "finalizers"))
        .isEqualTo(List.of("a", "c"));
  }

  @Test
  void setElementOrderReordersAMergedList() throws Exception {
    Map<String, Object> result =
        apply(
            DEPLOYMENT,
            """
            spec:
              template:
                spec:
                  $setElementOrder/containers: [{name: sidecar}, {name: api}]
            """);

    assertThat(names(at(result, "spec", "template", "spec", "containers")))
        .containsExactly("sidecar", "api");
  }

  @Test
  void servicePortsMergeByPortNumberWhateverItsJavaType() throws Exception {
    Map<String, Object> service =
        Yaml.map(
            "{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {ports: [{port: 80}]}}");
    Map<String, Object> patch =
        Map.of("spec", Map.of("ports", List.of(Map.of("port", 80L, "targetPort", 8080))));

    Map<String, Object> result = StrategicMergePatch.apply(service, patch);

    assertThat((List<?>) at(result, "spec", "ports")).hasSize(1);
    assertThat(at(result, "spec", "ports", "0", "targetPort")).isEqualTo(8080);
  }

  @Test
  void anItemWithoutItsMergeKeyIsAnErrorNamingTheList() {
    assertThatThrownBy(
            () -> apply(DEPLOYMENT, "spec: {template: {spec: {containers: [{image: x}]}}}"))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("spec.template.spec.containers")
        .hasMessageContaining("merge key name")
        .satisfies(
            e -> {
              PatchException p = (PatchException) e;
              assertThat(p.code()).isEqualTo(ActionCodes.INVALID_SPEC);
              assertThat(p.path()).isEqualTo("spec.template.spec.containers");
              assertThat(p.suggestion()).contains("containers and env by name");
            });
  }

  @Test
  void neitherInputIsChangedAndTheResultSharesNothingWithThem() throws Exception {
    Map<String, Object> object = Yaml.map(DEPLOYMENT);
    Map<String, Object> patch =
        Yaml.map(
            """
            metadata: {labels: {tier: null}}
            spec:
              template:
                spec:
                  containers:
                  - {name: new, image: n, env: [{name: X, value: x}]}
                  - {name: sidecar, $patch: delete}
            """);
    Object objectBefore = Yaml.value(DEPLOYMENT);
    Object patchBefore = Values.copy(patch);

    Map<String, Object> result = StrategicMergePatch.apply(object, patch);
    ValueTrees.map(at(result, "spec", "template", "spec", "containers", "0"))
        .put("image", "changed");
    ValueTrees.list(at(result, "spec", "template", "spec", "containers", "0", "env")).clear();

    assertThat(object).isEqualTo(objectBefore);
    assertThat(patch).isEqualTo(patchBefore);
  }

  @Test
  void customResourcesAreRefusedWithTheStrategiesThatWork() {
    assertThatThrownBy(
            () ->
                apply(
                    "{apiVersion: cert-manager.io/v1, kind: Certificate, metadata: {name: c}}",
                    "spec: {dnsNames: [a]}"))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("cert-manager.io/v1 Certificate")
        .satisfies(e -> assertThat(((PatchException) e).suggestion()).contains("strategy: merge"));
  }

  @Test
  void knownKindsAreMatchedByGroupWhateverTheVersion() {
    assertThat(StrategicMergePatch.supports("apps/v1", "Deployment")).isTrue();
    assertThat(StrategicMergePatch.supports("apps/v1beta2", "Deployment")).isTrue();
    assertThat(StrategicMergePatch.supports("v1", "ConfigMap")).isTrue();
    assertThat(StrategicMergePatch.supports("example.com/v1", "Deployment")).isFalse();
    assertThat(StrategicMergePatch.supports("batch/v1", "Pod")).isFalse();
  }
}
