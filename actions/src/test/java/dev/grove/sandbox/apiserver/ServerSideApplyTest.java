package dev.grove.sandbox.apiserver;

import static dev.grove.actions.kube.patch.GrovePatchRules.RULES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSideApplyTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void theFieldSetNamesMergedItemsByKeyAndSetItemsByValue() throws Exception {
    Map<String, Object> created =
        ServerSideApply.apply(
            RULES,
            null,
            Json.parseYaml(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, finalizers: [x], labels: {app: web}}
                spec:
                  template:
                    spec:
                      containers: [{name: app, image: a, args: [one]}]
                """),
            "grove",
            false,
            NOW);

    Map<String, Object> entry = managed(created).get(0);
    assertThat(entry)
        .containsEntry("manager", "grove")
        .containsEntry("operation", "Apply")
        .containsEntry("apiVersion", "apps/v1")
        .containsEntry("time", "2026-11-28T12:00:00Z")
        .containsEntry("fieldsType", "FieldsV1");
    assertThat(Json.write(entry.get("fieldsV1")))
        .isEqualTo(
            "{\"f:metadata\":{\"f:finalizers\":{\"v:\\\"x\\\"\":{}},\"f:labels\":{\"f:app\":{}}},"
                + "\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{"
                + "\"k:{\\\"name\\\":\\\"app\\\"}\":{\".\":{},\"f:name\":{},\"f:image\":{},"
                + "\"f:args\":{}}}}}}}");
  }

  @Test
  void aFieldAnotherApplierOwnsTooStaysUntilNeitherAppliesIt() throws Exception {
    String both = "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: '1', b: '2'}}";
    String onlyB = "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {b: '2'}}";
    Map<String, Object> live =
        ServerSideApply.apply(RULES, null, Json.parseYaml(both), "one", false, NOW);
    live = ServerSideApply.apply(RULES, live, Json.parseYaml(both), "two", false, NOW);

    live = ServerSideApply.apply(RULES, live, Json.parseYaml(onlyB), "one", false, NOW);
    assertThat(live.get("data")).isEqualTo(Map.of("a", "1", "b", "2"));

    live = ServerSideApply.apply(RULES, live, Json.parseYaml(onlyB), "two", false, NOW);
    assertThat(live.get("data")).isEqualTo(Map.of("b", "2"));
  }

  @Test
  void forcingAConflictMovesTheFieldToTheNewManager() throws Exception {
    String two =
        "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {replicas: 2}}";
    String three =
        "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {replicas: 3}}";
    String none =
        "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {paused: true}}";
    Map<String, Object> live =
        ServerSideApply.apply(RULES, null, Json.parseYaml(two), "grove", false, NOW);

    Map<String, Object> before = live;
    assertThatThrownBy(
            () -> ServerSideApply.apply(RULES, before, Json.parseYaml(three), "hpa", false, NOW))
        .isInstanceOf(ServerSideApply.ConflictException.class)
        .hasMessage(
            "Apply failed with 1 conflict: conflict with \"grove\" using apps/v1: .spec.replicas");
    live = ServerSideApply.apply(RULES, live, Json.parseYaml(three), "hpa", true, NOW);
    assertThat(managed(live))
        .extracting(e -> e.get("manager") + " " + Json.write(e.get("fieldsV1")))
        .containsExactly("hpa {\"f:spec\":{\"f:replicas\":{}}}");
    live = ServerSideApply.apply(RULES, live, Json.parseYaml(none), "grove", false, NOW);

    assertThat(Json.at(live, "spec", "replicas")).isEqualTo(3);
    assertThat(Json.at(live, "spec", "paused")).isEqualTo(true);
  }

  @Test
  void listsOfCustomResourcesAreReplacedWhole() throws Exception {
    String first =
        "{apiVersion: example.com/v1, kind: Thing, metadata: {name: t}, spec: {items: [{name: a}, {name: b}]}}";
    String second =
        "{apiVersion: example.com/v1, kind: Thing, metadata: {name: t}, spec: {items: [{name: c}]}}";
    Map<String, Object> live =
        ServerSideApply.apply(RULES, null, Json.parseYaml(first), "grove", false, NOW);

    live = ServerSideApply.apply(RULES, live, Json.parseYaml(second), "grove", false, NOW);

    assertThat(Json.at(live, "spec", "items")).isEqualTo(List.of(Map.of("name", "c")));
  }

  private static List<Map<String, Object>> managed(Map<String, Object> object) {
    return Json.list(Json.at(object, "metadata", "managedFields")).stream().map(Json::map).toList();
  }
}
