package dev.grove.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The API answers what Helm's clients read as a real API server words it: a missing object is a
 * {@code NotFound} Status, a list has its list kind and key order, a Service has a cluster IP, and
 * a DELETE's propagation policy decides what happens to dependents.
 */
class ClusterDispatcherTest {

  private static final String SECRETS = "/api/v1/namespaces/default/secrets";
  private static final String CONFIG_MAPS = "/api/v1/namespaces/default/configmaps";
  private static final String SERVICES = "/api/v1/namespaces/default/services";

  private final ClusterDispatcher api =
      new ClusterDispatcher(
          Clock.systemUTC(),
          new PatchRules(
              (apiVersion, kind) -> false,
              (object, patch) -> object,
              (object, patch) -> object,
              (apiVersion, kind, fields) -> Optional.empty()));

  @Test
  void a_missing_object_is_404_with_a_not_found_status_naming_it() {
    MockResponse core = send(HttpMethod.GET, SECRETS + "/sh.helm.release.v1.web.v1", null);
    MockResponse apps =
        send(HttpMethod.GET, "/apis/apps/v1/namespaces/default/deployments/web", null);

    assertThat(core.code()).isEqualTo(404);
    assertThat(body(core))
        .containsEntry("kind", "Status")
        .containsEntry("status", "Failure")
        .containsEntry("reason", "NotFound")
        .containsEntry("code", 404)
        .containsEntry("message", "secrets \"sh.helm.release.v1.web.v1\" not found")
        .containsEntry("details", Map.of("name", "sh.helm.release.v1.web.v1", "kind", "secrets"));
    assertThat(body(apps))
        .containsEntry("message", "deployments.apps \"web\" not found")
        .containsEntry("details", Map.of("name", "web", "group", "apps", "kind", "deployments"));
    assertThat(send(HttpMethod.DELETE, CONFIG_MAPS + "/gone", null).code()).isEqualTo(404);
  }

  @Test
  void a_list_has_its_list_kind_its_items_in_key_order_and_keeps_label_selectors() {
    for (String revision : List.of("v2", "v10", "v1")) {
      create(SECRETS, secret("sh.helm.release.v1.web." + revision, "web"));
    }
    create(SECRETS, secret("sh.helm.release.v1.other.v1", "other"));

    MockResponse list =
        send(HttpMethod.GET, SECRETS + "?labelSelector=name%3Dweb%2Cowner%3Dhelm", null);

    assertThat(list.code()).isEqualTo(200);
    Map<String, Object> body = body(list);
    assertThat(body).containsEntry("kind", "SecretList").containsEntry("apiVersion", "v1");
    assertThat(Json.list(body.get("items")))
        .extracting(item -> Json.at(Json.map(item), "metadata", "name"))
        .containsExactly(
            "sh.helm.release.v1.web.v1", "sh.helm.release.v1.web.v10", "sh.helm.release.v1.web.v2");
    assertThat(body(send(HttpMethod.GET, "/apis/apps/v1/namespaces/default/deployments", null)))
        .containsEntry("kind", "DeploymentList")
        .containsEntry("apiVersion", "apps/v1");
  }

  @Test
  void a_service_gets_a_cluster_ip_and_a_load_balancer_its_ingress() {
    Map<String, Object> web = create(SERVICES, service("web", "ClusterIP"));
    Map<String, Object> api = create(SERVICES, service("api", "ClusterIP"));
    Map<String, Object> edge = create(SERVICES, service("edge", "LoadBalancer"));
    Map<String, Object> external = create(SERVICES, service("ext", "ExternalName"));

    String ip = (String) Json.at(web, "spec", "clusterIP");
    assertThat(ip).startsWith("10.96.");
    assertThat(Json.at(web, "spec", "clusterIPs")).isEqualTo(List.of(ip));
    assertThat(Json.at(api, "spec", "clusterIP")).isNotEqualTo(ip);
    assertThat(Json.at(edge, "status", "loadBalancer", "ingress"))
        .isEqualTo(List.of(Map.of("ip", "127.0.0.1")));
    assertThat(Json.at(external, "spec", "clusterIP")).isNull();
    assertThat(Json.at(body(send(HttpMethod.GET, SERVICES + "/web", null)), "spec", "clusterIP"))
        .isEqualTo(ip);
  }

  @Test
  void a_replaced_service_keeps_its_cluster_ip_and_a_claim_is_bound_at_once() {
    String ip =
        (String) Json.at(create(SERVICES, service("web", "ClusterIP")), "spec", "clusterIP");
    Map<String, Object> replaced =
        body(send(HttpMethod.PUT, SERVICES + "/web", Json.write(service("web", "ClusterIP"))));
    Map<String, Object> claim =
        create(
            "/api/v1/namespaces/default/persistentvolumeclaims",
            Map.of(
                "apiVersion",
                "v1",
                "kind",
                "PersistentVolumeClaim",
                "metadata",
                Map.of("name", "data"),
                "spec",
                Map.of(
                    "accessModes",
                    List.of("ReadWriteOnce"),
                    "resources",
                    Map.of("requests", Map.of("storage", "1Gi")))));

    assertThat(Json.at(replaced, "spec", "clusterIP")).isEqualTo(ip);
    assertThat(Json.map(claim.get("status")))
        .containsEntry("phase", "Bound")
        .containsEntry("accessModes", List.of("ReadWriteOnce"))
        .containsEntry("capacity", Map.of("storage", "1Gi"));
  }

  @Test
  void a_delete_collects_dependents_unless_its_options_orphan_them() {
    String owner = uid(create(SECRETS, secret("owner-a", "a")));
    create(CONFIG_MAPS, ownedConfigMap("dependent-a", "owner-a", owner));
    String orphaning = uid(create(SECRETS, secret("owner-b", "b")));
    create(CONFIG_MAPS, ownedConfigMap("dependent-b", "owner-b", orphaning));

    send(HttpMethod.DELETE, SECRETS + "/owner-a", "{\"propagationPolicy\":\"Background\"}");
    send(HttpMethod.DELETE, SECRETS + "/owner-b", "{\"propagationPolicy\":\"Orphan\"}");

    assertThat(send(HttpMethod.GET, CONFIG_MAPS + "/dependent-a", null).code()).isEqualTo(404);
    assertThat(send(HttpMethod.GET, CONFIG_MAPS + "/dependent-b", null).code()).isEqualTo(200);
    assertThat(send(HttpMethod.GET, SECRETS + "/owner-b", null).code()).isEqualTo(404);
  }

  /**
   * A controller that read its owner just before the owner's delete creates an orphan: the garbage
   * collector deletes it (here at once); an object whose owner exists stays.
   */
  @Test
  void an_object_created_for_an_owner_that_is_gone_is_collected() {
    String owner = uid(create(SECRETS, secret("owner", "a")));
    send(HttpMethod.DELETE, SECRETS + "/owner", null);
    String live = uid(create(SECRETS, secret("live-owner", "b")));

    create(CONFIG_MAPS, ownedConfigMap("late", "owner", owner));
    create(CONFIG_MAPS, ownedConfigMap("owned", "live-owner", live));

    assertThat(send(HttpMethod.GET, CONFIG_MAPS + "/late", null).code()).isEqualTo(404);
    assertThat(send(HttpMethod.GET, CONFIG_MAPS + "/owned", null).code()).isEqualTo(200);
  }

  // ---- helpers ----

  /** The created object, as the API answered it. */
  private Map<String, Object> create(String collection, Map<String, Object> object) {
    MockResponse response = send(HttpMethod.POST, collection, Json.write(object));
    String body = response.getBody().readUtf8(); // reading consumes the buffer
    assertThat(response.code()).as(body).isEqualTo(201);
    return Json.parse(body);
  }

  private MockResponse send(HttpMethod method, String path, String body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    Buffer buffer = new Buffer((body == null ? "" : body).getBytes(StandardCharsets.UTF_8));
    return api.dispatch(new RecordedRequest("HTTP/1.1", method, path, headers, buffer));
  }

  private static Map<String, Object> body(MockResponse response) {
    return Json.parse(response.getBody().readUtf8());
  }

  private static String uid(Map<String, Object> created) {
    return (String) Json.at(created, "metadata", "uid");
  }

  private static Map<String, Object> secret(String name, String release) {
    return Map.of(
        "apiVersion",
        "v1",
        "kind",
        "Secret",
        "metadata",
        Map.of("name", name, "labels", Map.of("name", release, "owner", "helm")),
        "type",
        "helm.sh/release.v1");
  }

  private static Map<String, Object> service(String name, String type) {
    Map<String, Object> spec =
        type.equals("ExternalName")
            ? Map.of("type", type, "externalName", "example.com")
            : Map.of("type", type, "ports", List.of(Map.of("port", 80)));
    return Map.of(
        "apiVersion", "v1", "kind", "Service", "metadata", Map.of("name", name), "spec", spec);
  }

  /** A ConfigMap owned by the Secret {@code owner} of uid {@code ownerUid}. */
  private static Map<String, Object> ownedConfigMap(String name, String owner, String ownerUid) {
    return Map.of(
        "apiVersion",
        "v1",
        "kind",
        "ConfigMap",
        "metadata",
        Map.of(
            "name",
            name,
            "ownerReferences",
            List.of(Map.of("apiVersion", "v1", "kind", "Secret", "name", owner, "uid", ownerUid))),
        "data",
        Map.of("k", "v"));
  }
}
