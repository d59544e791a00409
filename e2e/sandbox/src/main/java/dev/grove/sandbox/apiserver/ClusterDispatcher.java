package dev.grove.sandbox.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's CRUD dispatcher with the API server behaviours Grove relies on: server-side apply,
 * strategic merge and RFC 7386 merge patches (each with dry-run), Secret {@code stringData}, field
 * selectors on lists, status subresources for the built-in workload kinds, and deletion that
 * cascades to a namespace's objects and to dependents (ownerReferences, as the garbage collector's
 * background propagation would).
 *
 * <p>Every write that reads before it writes holds one lock, so concurrent clients see each write
 * whole. The results are stored through the CRUD dispatcher's own create and update, which keep
 * uid, creationTimestamp, resourceVersion, generation and watch events as it does.
 */
public final class ClusterDispatcher extends KubernetesCrudDispatcher {

  static final String APPLY_PATCH = "application/apply-patch+yaml";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";

  /** Built-in resources whose status is a subresource: writes to one never change the other. */
  private static final Set<String> STATUS_SUBRESOURCE =
      Set.of(
          "/pods",
          "/services",
          "/nodes",
          "/persistentvolumeclaims",
          "/persistentvolumes",
          "/replicationcontrollers",
          "/resourcequotas",
          "apps/deployments",
          "apps/statefulsets",
          "apps/daemonsets",
          "apps/replicasets",
          "batch/jobs",
          "batch/cronjobs",
          "autoscaling/horizontalpodautoscalers",
          "policy/poddisruptionbudgets",
          "networking.k8s.io/ingresses",
          "certificates.k8s.io/certificatesigningrequests");

  private final Object writes = new Object();
  private final AtomicInteger clusterIps = new AtomicInteger();
  private final Clock clock;
  private final PatchRules rules;

  public ClusterDispatcher(Clock clock, PatchRules rules) {
    this.rules = rules;
    this.clock = clock;
  }

  /**
   * Every request, answered as a real API server words it: a failure without a body gets a {@code
   * Status} ({@code NotFound} with the name and resource for a missing object), a list is a {@code
   * SecretList}, {@code DeploymentList}... (the CRUD dispatcher says {@code List}), and a DELETE
   * whose {@code DeleteOptions} orphan dependents leaves them.
   */
  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Optional<ApiPath> path = ApiPath.parse(request.getPath());
    MockResponse response =
        request.method() == HttpMethod.DELETE && path.isPresent() && orphans(request)
            ? deleteOrphaning(request.getPath())
            : super.dispatch(request);
    if (path.isEmpty() || response.getWebSocketListener() != null) {
      return response;
    }
    if (response.code() >= 400 && (response.getBody() == null || response.getBody().size() == 0)) {
      return response.setBody(failureStatus(path.get(), response.code()));
    }
    if (request.method() == HttpMethod.GET
        && response.code() == 200
        && path.get().name().isEmpty()
        && !"true".equals(path.get().query().get("watch"))) {
      return asServerList(path.get(), response);
    }
    return response;
  }

  @Override
  public boolean isStatusSubresourceEnabledForResource(String path) {
    Optional<ApiPath> p = ApiPath.parse(path);
    return p.isPresent() && STATUS_SUBRESOURCE.contains(p.get().group() + "/" + p.get().plural())
        || super.isStatusSubresourceEnabledForResource(path);
  }

  /**
   * Lists filtered by any field selector ({@code involvedObject.name=web}, {@code
   * status.phase!=Running}); the CRUD dispatcher knows only {@code metadata.name}. Watches keep its
   * handling.
   */
  @Override
  public MockResponse handleGet(String path) {
    Optional<ApiPath> p = ApiPath.parse(path);
    String selector = p.map(a -> a.query().get("fieldSelector")).orElse(null);
    if (selector == null
        || selector.isEmpty()
        || "true".equals(p.get().query().get("watch"))
        || !p.get().name().isEmpty()) {
      return super.handleGet(path);
    }
    MockResponse response = super.handleGet(withoutQueryParameter(path, "fieldSelector"));
    if (response.code() != 200) {
      return response;
    }
    Map<String, Object> list = Json.parse(response.getBody().readUtf8());
    if (list.get("items") instanceof List<?> items) {
      List<Object> kept = new ArrayList<>();
      for (Object item : items) {
        if (FieldSelector.matches(selector, Json.map(item))) {
          kept.add(item);
        }
      }
      list.put("items", kept);
    }
    return new MockResponse().setResponseCode(200).setBody(Json.write(list));
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    synchronized (writes) {
      String body = request.getUtf8Body();
      Map<String, Object> object;
      try {
        object = Json.parse(body);
      } catch (RuntimeException notJson) {
        return super.handleCreate(request(HttpMethod.POST, request.getPath(), body));
      }
      convertStringData(object);
      allocateClusterIp(object);
      if ("Namespace".equals(object.get("kind"))) {
        // the namespace controller's doing; the mock keys namespaces/NAME/status as a namespaced
        // collection, so Namespace status is not a subresource here
        object.put("status", new LinkedHashMap<>(Map.of("phase", "Active")));
      }
      MockResponse created =
          super.handleCreate(request(HttpMethod.POST, request.getPath(), Json.write(object)));
      if (created.code() != 201) {
        return created;
      }
      MockResponse answer = withInitialStatus(request.getPath(), created);
      Optional<ApiPath> collection = ApiPath.parse(request.getPath());
      Object name = Json.at(object, "metadata", "name");
      if (collection.isPresent() && name != null && ownersGone(object, collection.get())) {
        // a controller that read its owner before the owner's delete: the garbage collector
        // deletes an object whose owners are all gone, here at once
        handleDelete(collection.get().collection() + "/" + name);
      }
      return answer;
    }
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    synchronized (writes) {
      String body = request.getUtf8Body();
      try {
        Map<String, Object> object = Json.parse(body);
        convertStringData(object);
        keepClusterIp(request.getPath(), object);
        body = Json.write(object);
      } catch (RuntimeException notJson) {
        // the CRUD dispatcher answers it
      }
      return super.handleUpdate(request(HttpMethod.PUT, request.getPath(), body));
    }
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    String type = contentType.split(";")[0].trim();
    String body = request.getUtf8Body();
    synchronized (writes) {
      Optional<ApiPath> path = ApiPath.parse(request.getPath());
      if (path.isEmpty() || path.get().name().isEmpty()) {
        return super.handlePatch(request(HttpMethod.PATCH, request.getPath(), body, contentType));
      }
      try {
        switch (type) {
          case APPLY_PATCH:
            return apply(path.get(), body);
          case STRATEGIC_MERGE_PATCH:
          case MERGE_PATCH:
            return patch(path.get(), type, body);
          default:
            return super.handlePatch(
                request(HttpMethod.PATCH, request.getPath(), body, contentType));
        }
      } catch (KubernetesCrudDispatcherException e) {
        return new MockResponse().setResponseCode(e.getCode()).setBody(e.toStatusBody());
      }
    }
  }

  @Override
  public MockResponse handleDelete(String path) {
    synchronized (writes) {
      Map<String, Stored> before = stored();
      MockResponse response = super.handleDelete(path);
      Map<String, Stored> after = stored();
      Set<String> gone = new HashSet<>(before.keySet());
      gone.removeAll(after.keySet());
      collectGarbage(gone, before);
      return response;
    }
  }

  /** Whether a DELETE's options ({@code propagationPolicy: Orphan}) leave the dependents. */
  private static boolean orphans(RecordedRequest request) {
    String body = request.getBody() == null ? "" : request.getUtf8Body();
    if (body.isBlank()) {
      return false;
    }
    try {
      Map<String, Object> options = Json.parse(body);
      return "Orphan".equals(options.get("propagationPolicy"))
          || Boolean.TRUE.equals(options.get("orphanDependents"));
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private MockResponse deleteOrphaning(String path) {
    synchronized (writes) {
      return super.handleDelete(path);
    }
  }

  /** The {@code Status} of a failure the CRUD dispatcher answered without a body. */
  private static String failureStatus(ApiPath path, int code) {
    String resource = path.group().isEmpty() ? path.plural() : path.plural() + "." + path.group();
    Map<String, Object> details = new LinkedHashMap<>();
    if (!path.name().isEmpty()) {
      details.put("name", path.name());
    }
    if (!path.group().isEmpty()) {
      details.put("group", path.group());
    }
    details.put("kind", path.plural());
    return switch (code) {
      case 404 ->
          ApiStatus.failure(
              404,
              "NotFound",
              path.name().isEmpty()
                  ? "the server could not find the requested resource"
                  : resource + " \"" + path.name() + "\" not found",
              details);
      case 409 ->
          ApiStatus.failure(
              409, "AlreadyExists", resource + " \"" + path.name() + "\" already exists", details);
      default -> ApiStatus.failure(code, "", "the request failed with HTTP " + code, details);
    };
  }

  /**
   * A list answer as a real API server gives it: the list kind of its resource ({@code SecretList},
   * as client-go expects) and the items in the order of their keys (namespace, name), so that
   * Helm's history reads revisions in order.
   */
  private static MockResponse asServerList(ApiPath path, MockResponse response) {
    Optional<String> kind = Discovery.kind(path.group(), path.plural());
    if (kind.isEmpty() || response.getBody() == null) {
      return response;
    }
    Map<String, Object> list;
    try {
      list = Json.parse(response.getBody().readUtf8());
    } catch (RuntimeException notJson) {
      return response;
    }
    if (!"List".equals(list.get("kind"))) {
      return response;
    }
    list.put("kind", kind.get() + "List");
    list.put("apiVersion", path.apiVersion());
    if (list.get("items") instanceof List<?> items) {
      List<Object> sorted = new ArrayList<>(items);
      sorted.sort(Comparator.comparing(ClusterDispatcher::key));
      list.put("items", sorted);
    }
    return response.setBody(Json.write(list));
  }

  /** Where a real API server keeps an object: {@code namespace/name}. */
  private static String key(Object object) {
    Map<String, Object> item = Json.map(object);
    Object namespace = Json.at(item, "metadata", "namespace");
    return (namespace == null ? "" : namespace) + "/" + Json.at(item, "metadata", "name");
  }

  // ---- server-side apply and patches ----

  private MockResponse apply(ApiPath path, String body) throws KubernetesCrudDispatcherException {
    String manager = path.query().get("fieldManager");
    if (manager == null || manager.isEmpty()) {
      throw new KubernetesCrudDispatcherException(
          "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required"
              + " for apply patch",
          422,
          "PatchOptions");
    }
    boolean force = "true".equals(path.query().get("force"));
    Map<String, Object> applied;
    try {
      applied = Json.parseYaml(body);
    } catch (RuntimeException e) {
      throw new KubernetesCrudDispatcherException(
          "the applied configuration is not YAML or JSON: " + e.getMessage(), 400, "");
    }
    checkIdentity(path, applied);
    // as the API server's field manager: an object read back carries its managedFields, and
    // applying it as it is would hand ownership of everything to the applier
    if (Json.at(applied, "metadata", "managedFields") != null) {
      throw new KubernetesCrudDispatcherException(
          "metadata.managedFields must be nil", 400, kind(applied));
    }
    if (!path.apiVersion().equals(applied.get("apiVersion"))) {
      throw new KubernetesCrudDispatcherException(
          "Incorrect version specified in apply patch. Specified patch version: "
              + applied.get("apiVersion")
              + ", expected: "
              + path.apiVersion(),
          400,
          kind(applied));
    }
    convertStringData(applied);
    Map<String, Object> live = live(path);
    try {
      Map<String, Object> result =
          ServerSideApply.apply(rules, live, applied, manager, force, clock.instant());
      if (live == null && !path.namespace().isEmpty()) {
        Json.child(result, "metadata").put("namespace", path.namespace());
      }
      if (path.query().containsKey("dryRun")) {
        return dryRun(path, live, result);
      }
      if (live == null) {
        return handleCreate(request(HttpMethod.POST, path.collection(), Json.write(result)));
      }
      return store(path, result);
    } catch (ServerSideApply.ConflictException e) {
      throw new KubernetesCrudDispatcherException(
          e.getMessage(),
          409,
          String.valueOf(applied.get("kind")),
          e.fields().toArray(String[]::new));
    } catch (PatchRules.InvalidPatch e) {
      throw new KubernetesCrudDispatcherException(e.getMessage(), 422, "");
    }
  }

  private MockResponse patch(ApiPath path, String type, String body)
      throws KubernetesCrudDispatcherException {
    Map<String, Object> live = live(path);
    if (live == null) {
      throw notFound(path);
    }
    Map<String, Object> patch;
    try {
      patch = Json.parse(body);
    } catch (RuntimeException e) {
      throw new KubernetesCrudDispatcherException(
          "the patch is not a JSON object: " + e.getMessage(), 400, "");
    }
    try {
      Map<String, Object> result =
          rules.merge(apiVersion(live), kind(live), live, patch, !type.equals(MERGE_PATCH));
      convertStringData(result);
      if (path.query().containsKey("dryRun")) {
        return dryRun(path, live, result);
      }
      return store(path, result);
    } catch (PatchRules.InvalidPatch e) {
      throw new KubernetesCrudDispatcherException(e.getMessage(), 422, kind(live));
    }
  }

  /**
   * What an apply or patch would store, without storing it ({@code ?dryRun=All}): the live object's
   * server-set metadata, its status unless the write is to the status, the generation counted up
   * when the spec changes.
   */
  private MockResponse dryRun(ApiPath path, Map<String, Object> live, Map<String, Object> result) {
    boolean statusApart = isStatusSubresourceEnabledForResource(path.resource());
    if (live == null) {
      Map<String, Object> metadata = Json.child(result, "metadata");
      metadata.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
      metadata.put("generation", 1);
      if (statusApart) {
        result.remove("status");
      }
      return new MockResponse().setResponseCode(201).setBody(Json.write(result));
    }
    Map<String, Object> stored = path.isStatus() ? Json.copyMap(live) : result;
    Object status = (path.isStatus() ? result : live).get("status");
    if (path.isStatus() || statusApart) {
      stored.remove("status");
      if (status != null) {
        stored.put("status", status);
      }
    }
    Map<String, Object> metadata = Json.child(stored, "metadata");
    for (String key : List.of("uid", "creationTimestamp", "resourceVersion", "generation")) {
      Object value = Json.at(live, "metadata", key);
      if (value != null) {
        metadata.put(key, value);
      }
    }
    if (metadata.get("generation") instanceof Number generation
        && !Json.same(live.get("spec"), stored.get("spec"))) {
      metadata.put("generation", generation.longValue() + 1);
    }
    return new MockResponse().setResponseCode(200).setBody(Json.write(stored));
  }

  /** Stores a new version of an existing object, through the status path for status writes. */
  private MockResponse store(ApiPath path, Map<String, Object> object) {
    String target = path.resource() + (path.isStatus() ? "/status" : "");
    return super.handleUpdate(request(HttpMethod.PUT, target, Json.write(object)));
  }

  private Map<String, Object> live(ApiPath path) {
    MockResponse response = super.handleGet(path.resource());
    return response.code() == 200 ? Json.parse(response.getBody().readUtf8()) : null;
  }

  private static void checkIdentity(ApiPath path, Map<String, Object> applied)
      throws KubernetesCrudDispatcherException {
    Object name = Json.at(applied, "metadata", "name");
    if (!path.name().equals(name) || applied.get("apiVersion") == null || kind(applied) == null) {
      throw new KubernetesCrudDispatcherException(
          "the applied configuration must have apiVersion, kind and metadata.name "
              + path.name()
              + " (the name in the URL)",
          400,
          String.valueOf(applied.get("kind")));
    }
  }

  private static KubernetesCrudDispatcherException notFound(ApiPath path) {
    String resource = path.group().isEmpty() ? path.plural() : path.plural() + "." + path.group();
    return new KubernetesCrudDispatcherException(
        resource + " \"" + path.name() + "\" not found", 404, path.plural());
  }

  // ---- what the API server does to particular kinds ----

  /** Secret {@code stringData} is write-only: the server folds it into base64 {@code data}. */
  private static void convertStringData(Map<String, Object> object) {
    if (!"Secret".equals(object.get("kind"))
        || !(object.get("stringData") instanceof Map<?, ?> strings)) {
      return;
    }
    Map<String, Object> data = Json.child(object, "data");
    Base64.Encoder base64 = Base64.getEncoder();
    strings.forEach(
        (k, v) ->
            data.put(
                String.valueOf(k),
                base64.encodeToString(String.valueOf(v).getBytes(StandardCharsets.UTF_8))));
    object.remove("stringData");
  }

  /**
   * A Service gets a cluster IP when it is created, as the API server allocates one (Helm's {@code
   * --wait} counts a Service without one as not ready).
   */
  private void allocateClusterIp(Map<String, Object> object) {
    if (!"Service".equals(object.get("kind"))) {
      return;
    }
    Map<String, Object> spec = Json.child(object, "spec");
    Object ip = spec.get("clusterIP");
    if ("ExternalName".equals(spec.get("type")) || ip != null && !ip.toString().isEmpty()) {
      return;
    }
    int n = clusterIps.incrementAndGet();
    String allocated = "10.96." + (n / 250) % 256 + "." + (n % 250 + 2);
    spec.put("clusterIP", allocated);
    spec.put("clusterIPs", new ArrayList<>(List.of(allocated)));
  }

  /**
   * Whether {@code object} names owners and none of them exists any more (by uid, as the garbage
   * collector checks); owners of kinds this API does not serve count as existing.
   */
  private boolean ownersGone(Map<String, Object> object, ApiPath collection) {
    if (!(Json.at(object, "metadata", "ownerReferences") instanceof List<?> owners)
        || owners.isEmpty()) {
      return false;
    }
    for (Object o : owners) {
      Map<String, Object> owner = Json.map(o);
      Optional<ApiPath> path =
          Discovery.path(
                  String.valueOf(owner.get("apiVersion")),
                  String.valueOf(owner.get("kind")),
                  collection.namespace(),
                  String.valueOf(owner.get("name")))
              .flatMap(ApiPath::parse);
      if (path.isEmpty()) {
        return false;
      }
      Map<String, Object> live = live(path.get());
      if (live != null && Objects.equals(Json.at(live, "metadata", "uid"), owner.get("uid"))) {
        return false;
      }
    }
    return true;
  }

  /** A Service replaced without its cluster IP keeps the one it has, as on a real API server. */
  private void keepClusterIp(String path, Map<String, Object> object) {
    if (!"Service".equals(object.get("kind")) || Json.at(object, "spec", "clusterIP") != null) {
      return;
    }
    Optional<ApiPath> p = ApiPath.parse(path);
    Map<String, Object> live = p.isEmpty() || p.get().isStatus() ? null : live(p.get());
    if (live == null || !(live.get("spec") instanceof Map<?, ?>)) {
      return;
    }
    for (String key : List.of("clusterIP", "clusterIPs")) {
      Object value = Json.at(live, "spec", key);
      if (value != null) {
        Json.child(object, "spec").put(key, Json.copy(value));
      }
    }
  }

  /**
   * A created object with the status the cluster's controllers give it at once, written to its
   * status as they do (Helm's {@code --wait} waits for both): a {@code LoadBalancer} Service gets
   * the ingress of a single-node cluster's load balancer (K3s's ServiceLB: the node's address), a
   * PersistentVolumeClaim is bound (as by K3s's local-path provisioner) with the capacity it asks
   * for. Other objects as they were created.
   */
  private MockResponse withInitialStatus(String collectionPath, MockResponse created) {
    Map<String, Object> object = Json.parse(created.getBody().readUtf8());
    Map<String, Object> status;
    if ("Service".equals(object.get("kind"))
        && "LoadBalancer".equals(Json.at(object, "spec", "type"))) {
      status = Json.child(object, "status");
      Json.child(status, "loadBalancer")
          .put("ingress", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("ip", "127.0.0.1")))));
    } else if ("PersistentVolumeClaim".equals(object.get("kind"))) {
      status = Json.child(object, "status");
      status.put("phase", "Bound");
      Object modes = Json.at(object, "spec", "accessModes");
      if (modes != null) {
        status.put("accessModes", Json.copy(modes));
      }
      Object storage = Json.at(object, "spec", "resources", "requests", "storage");
      if (storage != null) {
        status.put("capacity", new LinkedHashMap<>(Map.of("storage", storage)));
      }
    } else {
      return created.setBody(Json.write(object));
    }
    String collection = collectionPath.split("\\?")[0];
    return ApiPath.parse(collection + "/" + Json.at(object, "metadata", "name") + "/status")
        .map(path -> store(path, object))
        .map(stored -> stored.setResponseCode(201))
        .orElse(created);
  }

  // ---- garbage collection ----

  /** An object in the store: where it is and whom it belongs to. */
  private record Stored(
      String path, String kind, String name, String namespace, Set<String> owners) {}

  /** The stored objects by uid. */
  private Map<String, Stored> stored() {
    Map<String, Stored> objects = new HashMap<>();
    for (Map.Entry<AttributeSet, String> e : new ArrayList<>(getMap().entrySet())) {
      Map<String, Object> object;
      try {
        object = Json.parse(e.getValue());
      } catch (RuntimeException notJson) {
        continue;
      }
      Object uid = Json.at(object, "metadata", "uid");
      String path = path(e.getKey());
      if (uid == null || path == null) {
        continue;
      }
      Set<String> owners = new HashSet<>();
      if (Json.at(object, "metadata", "ownerReferences") instanceof List<?> refs) {
        refs.forEach(
            r -> {
              if (r instanceof Map<?, ?> ref && ref.get("uid") != null) {
                owners.add(ref.get("uid").toString());
              }
            });
      }
      Object namespace = Json.at(object, "metadata", "namespace");
      objects.put(
          uid.toString(),
          new Stored(
              path,
              kind(object),
              String.valueOf(Json.at(object, "metadata", "name")),
              namespace == null ? "" : namespace.toString(),
              owners));
    }
    return objects;
  }

  /**
   * Deletes what depended on the deleted objects (uids in {@code gone}): a Namespace's objects, and
   * objects whose ownerReferences name a deleted owner; then what depended on those.
   */
  private void collectGarbage(Set<String> gone, Map<String, Stored> before) {
    Set<String> deleted = new HashSet<>(gone);
    Set<String> namespaces = new HashSet<>();
    gone.forEach(
        uid -> {
          Stored s = before.get(uid);
          if ("Namespace".equals(s.kind())) {
            namespaces.add(s.name());
          }
        });
    boolean more = true;
    while (more) {
      more = false;
      for (Map.Entry<String, Stored> e : stored().entrySet()) {
        Stored s = e.getValue();
        boolean orphan = s.owners().stream().anyMatch(deleted::contains);
        if (namespaces.contains(s.namespace()) || orphan) {
          super.handleDelete(s.path());
          deleted.add(e.getKey());
          more = true;
        }
      }
    }
  }

  /** The path of a stored object, from the attributes the CRUD dispatcher keys it by. */
  private static String path(AttributeSet key) {
    String plural = value(key, "plural");
    String version = value(key, "version");
    String name = value(key, "name");
    if (plural == null || version == null || name == null) {
      return null;
    }
    String api = value(key, "api");
    String namespace = value(key, "namespace");
    return (api == null ? "/api/" + version : "/apis/" + api + "/" + version)
        + (namespace == null ? "" : "/namespaces/" + namespace)
        + "/"
        + plural
        + "/"
        + name;
  }

  private static String value(AttributeSet key, String name) {
    Attribute attribute = key.getAttribute(name);
    return attribute == null || attribute.getValues().isEmpty()
        ? null
        : attribute.getValues().get(0).toString();
  }

  // ---- small things ----

  private static String withoutQueryParameter(String path, String name) {
    int q = path.indexOf('?');
    if (q < 0) {
      return path;
    }
    List<String> kept = new ArrayList<>();
    for (String pair : path.substring(q + 1).split("&")) {
      if (!pair.startsWith(name + "=") && !pair.equals(name)) {
        kept.add(pair);
      }
    }
    return path.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }

  private static String apiVersion(Map<String, Object> object) {
    return String.valueOf(object.get("apiVersion"));
  }

  private static String kind(Map<String, Object> object) {
    Object kind = object.get("kind");
    return kind == null ? null : kind.toString();
  }

  private static RecordedRequest request(HttpMethod method, String path, String body) {
    return request(method, path, body, "application/json");
  }

  private static RecordedRequest request(
      HttpMethod method, String path, String body, String contentType) {
    Headers headers = Headers.builder().add("Content-Type", contentType).build();
    Buffer buffer = new Buffer(body.getBytes(StandardCharsets.UTF_8));
    return new RecordedRequest("HTTP/1.1", method, path, headers, buffer);
  }
}
