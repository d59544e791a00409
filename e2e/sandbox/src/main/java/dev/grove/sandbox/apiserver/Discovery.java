package dev.grove.sandbox.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.sandbox.cluster.Node;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documents a client reads before it talks to resources, as a Kubernetes 1.32 API server serves
 * them: {@code /version}, legacy discovery ({@code /api}, {@code /apis}, {@code /api/v1}, {@code
 * /apis/GROUP/VERSION}) and an OpenAPI v3 index with one small document per group version.
 *
 * <p>kubectl validates what it applies or creates ({@code --validate=strict}, its default) by
 * asking the OpenAPI v3 document whether the server validates fields itself: it does when the PATCH
 * of that kind takes a {@code fieldValidation} query parameter. The documents here say so (the mock
 * server then ignores the parameter), so kubectl needs no {@code --validate=false}. They carry no
 * schemas: {@code kubectl explain} finds nothing. {@code /openapi/v2} is not served (404); kubectl
 * only falls back to it when v3 is missing.
 */
final class Discovery {

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  /** One resource of the table: its names, scope, and subresources. */
  record Resource(
      String group,
      String version,
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> subresources,
      boolean inCategoryAll) {

    Resource {
      shortNames = List.copyOf(shortNames);
      subresources = List.copyOf(subresources);
    }

    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    /** The path prefix of the group version, without a leading slash: {@code apis/apps/v1}. */
    String prefix() {
      return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }
  }

  /** The resources the sandbox serves: what deploys to a cluster and what controllers make. */
  static final List<Resource> RESOURCES =
      List.of(
          r("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), List.of(), false),
          r("", "v1", "endpoints", "Endpoints", true, List.of("ep"), List.of(), false),
          r("", "v1", "events", "Event", true, List.of("ev"), List.of(), false),
          r("", "v1", "limitranges", "LimitRange", true, List.of("limits"), List.of(), false),
          r("", "v1", "namespaces", "Namespace", false, List.of("ns"), List.of("status"), false),
          r("", "v1", "nodes", "Node", false, List.of("no"), List.of("status"), false),
          r(
              "",
              "v1",
              "persistentvolumeclaims",
              "PersistentVolumeClaim",
              true,
              List.of("pvc"),
              List.of("status"),
              false),
          r(
              "",
              "v1",
              "persistentvolumes",
              "PersistentVolume",
              false,
              List.of("pv"),
              List.of("status"),
              false),
          r("", "v1", "pods", "Pod", true, List.of("po"), List.of("status", "log"), true),
          r(
              "",
              "v1",
              "resourcequotas",
              "ResourceQuota",
              true,
              List.of("quota"),
              List.of("status"),
              false),
          r("", "v1", "secrets", "Secret", true, List.of(), List.of(), false),
          r("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of(), false),
          r("", "v1", "services", "Service", true, List.of("svc"), List.of("status"), true),
          r(
              "apps",
              "v1",
              "controllerrevisions",
              "ControllerRevision",
              true,
              List.of(),
              List.of(),
              false),
          r("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), List.of("status"), true),
          r(
              "apps",
              "v1",
              "deployments",
              "Deployment",
              true,
              List.of("deploy"),
              List.of("status"),
              true),
          r(
              "apps",
              "v1",
              "replicasets",
              "ReplicaSet",
              true,
              List.of("rs"),
              List.of("status"),
              true),
          r(
              "apps",
              "v1",
              "statefulsets",
              "StatefulSet",
              true,
              List.of("sts"),
              List.of("status"),
              true),
          r(
              "autoscaling",
              "v2",
              "horizontalpodautoscalers",
              "HorizontalPodAutoscaler",
              true,
              List.of("hpa"),
              List.of("status"),
              true),
          r("batch", "v1", "cronjobs", "CronJob", true, List.of("cj"), List.of("status"), true),
          r("batch", "v1", "jobs", "Job", true, List.of(), List.of("status"), true),
          r(
              "networking.k8s.io",
              "v1",
              "ingressclasses",
              "IngressClass",
              false,
              List.of(),
              List.of(),
              false),
          r(
              "networking.k8s.io",
              "v1",
              "ingresses",
              "Ingress",
              true,
              List.of("ing"),
              List.of("status"),
              false),
          r(
              "networking.k8s.io",
              "v1",
              "networkpolicies",
              "NetworkPolicy",
              true,
              List.of("netpol"),
              List.of(),
              false),
          r(
              "policy",
              "v1",
              "poddisruptionbudgets",
              "PodDisruptionBudget",
              true,
              List.of("pdb"),
              List.of("status"),
              false),
          r(
              "rbac.authorization.k8s.io",
              "v1",
              "clusterrolebindings",
              "ClusterRoleBinding",
              false,
              List.of(),
              List.of(),
              false),
          r(
              "rbac.authorization.k8s.io",
              "v1",
              "clusterroles",
              "ClusterRole",
              false,
              List.of(),
              List.of(),
              false),
          r(
              "rbac.authorization.k8s.io",
              "v1",
              "rolebindings",
              "RoleBinding",
              true,
              List.of(),
              List.of(),
              false),
          r("rbac.authorization.k8s.io", "v1", "roles", "Role", true, List.of(), List.of(), false),
          r(
              "storage.k8s.io",
              "v1",
              "storageclasses",
              "StorageClass",
              false,
              List.of("sc"),
              List.of(),
              false));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> documents = new LinkedHashMap<>();

  Discovery() {
    Map<String, List<Resource>> byGroupVersion = new LinkedHashMap<>();
    for (Resource r : RESOURCES) {
      byGroupVersion.computeIfAbsent(r.prefix(), k -> new ArrayList<>()).add(r);
    }
    documents.put("/version", write(version()));
    documents.put("/api", write(apiVersions()));
    documents.put("/apis", write(groups(byGroupVersion)));
    Map<String, Object> openApiPaths = new LinkedHashMap<>();
    byGroupVersion.forEach(
        (prefix, resources) -> {
          documents.put("/" + prefix, write(resourceList(resources)));
          String openApi = write(openApi(resources));
          documents.put("/openapi/v3/" + prefix, openApi);
          openApiPaths.put(
              prefix,
              Map.of("serverRelativeURL", "/openapi/v3/" + prefix + "?hash=" + hash(openApi)));
        });
    documents.put("/openapi/v3", write(Map.of("paths", openApiPaths)));
    for (String probe : List.of("/healthz", "/livez", "/readyz")) {
      documents.put(probe, "ok");
    }
  }

  /** The document at {@code path} (no query), or empty when the path is not a document. */
  Optional<String> document(String path) {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return Optional.ofNullable(documents.get(p));
  }

  /** The kind of a resource of the table, by group and plural. */
  static Optional<String> kind(String group, String plural) {
    return RESOURCES.stream()
        .filter(r -> r.group().equals(group) && r.plural().equals(plural))
        .map(Resource::kind)
        .findFirst();
  }

  /**
   * The path of an object of the table by apiVersion and kind ({@code /apis/apps/v1/namespaces/
   * NS/replicasets/NAME}); empty for kinds the table does not have.
   */
  static Optional<String> path(String apiVersion, String kind, String namespace, String name) {
    return RESOURCES.stream()
        .filter(r -> r.groupVersion().equals(apiVersion) && r.kind().equals(kind))
        .findFirst()
        .map(
            r ->
                "/"
                    + r.prefix()
                    + (r.namespaced() ? "/namespaces/" + namespace : "")
                    + "/"
                    + r.plural()
                    + "/"
                    + name);
  }

  static boolean isJson(String document) {
    return document.startsWith("{");
  }

  private static Resource r(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> subresources,
      boolean all) {
    return new Resource(
        group,
        version,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        kind,
        namespaced,
        shortNames,
        subresources,
        all);
  }

  private static Map<String, Object> version() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", Node.KUBERNETES_VERSION + "+grove-sandbox");
    v.put("gitCommit", "grove-sandbox");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-01-01T00:00:00Z");
    v.put("goVersion", "go1.23.0");
    v.put("compiler", "gc");
    v.put("platform", "linux/amd64");
    return v;
  }

  private static Map<String, Object> apiVersions() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("kind", "APIVersions");
    v.put("versions", List.of("v1"));
    return v;
  }

  private static Map<String, Object> groups(Map<String, List<Resource>> byGroupVersion) {
    List<Object> groups = new ArrayList<>();
    byGroupVersion.values().stream()
        .map(list -> list.get(0))
        .filter(r -> !r.group().isEmpty())
        .forEach(
            r -> {
              Map<String, Object> version =
                  Map.of("groupVersion", r.groupVersion(), "version", r.version());
              Map<String, Object> group = new LinkedHashMap<>();
              group.put("name", r.group());
              group.put("versions", List.of(version));
              group.put("preferredVersion", version);
              groups.add(group);
            });
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    list.put("groups", groups);
    return list;
  }

  private static Map<String, Object> resourceList(List<Resource> resources) {
    List<Object> entries = new ArrayList<>();
    for (Resource r : resources) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", r.plural());
      e.put("singularName", r.singular());
      e.put("namespaced", r.namespaced());
      e.put("kind", r.kind());
      e.put("verbs", VERBS);
      if (!r.shortNames().isEmpty()) {
        e.put("shortNames", r.shortNames());
      }
      if (r.inCategoryAll()) {
        e.put("categories", List.of("all"));
      }
      entries.add(e);
      for (String sub : r.subresources()) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", r.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", r.namespaced());
        s.put("kind", sub.equals("log") ? "Pod" : r.kind());
        s.put("verbs", sub.equals("log") ? List.of("get") : STATUS_VERBS);
        entries.add(s);
      }
    }
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", resources.get(0).groupVersion());
    list.put("resources", entries);
    return list;
  }

  /**
   * An OpenAPI v3 document of one group version: for each resource, the PATCH of one object with
   * the query parameters a 1.32 server takes, so that kubectl sees server-side field validation.
   */
  private static Map<String, Object> openApi(List<Resource> resources) {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (Resource r : resources) {
      String path =
          "/"
              + r.prefix()
              + (r.namespaced() ? "/namespaces/{namespace}/" : "/")
              + r.plural()
              + "/{name}";
      List<Object> parameters = new ArrayList<>();
      for (String name : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        parameters.add(
            Map.of(
                "name",
                name,
                "in",
                "query",
                "schema",
                Map.of("type", name.equals("force") ? "boolean" : "string"),
                "uniqueItems",
                true));
      }
      Map<String, Object> patch = new LinkedHashMap<>();
      patch.put("operationId", "patch" + r.kind());
      patch.put("parameters", parameters);
      patch.put("responses", Map.of("200", Map.of("description", "OK")));
      patch.put(
          "x-kubernetes-group-version-kind",
          Map.of("group", r.group(), "version", r.version(), "kind", r.kind()));
      patch.put("x-kubernetes-action", "patch");
      paths.put(path, Map.of("patch", patch));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.0");
    doc.put("info", Map.of("title", "Kubernetes", "version", Node.KUBERNETES_VERSION));
    doc.put("paths", paths);
    doc.put("components", Map.of("schemas", Map.of()));
    return doc;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("discovery document not serialisable", e);
    }
  }

  private static String hash(String document) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(document.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 32).toUpperCase(java.util.Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
