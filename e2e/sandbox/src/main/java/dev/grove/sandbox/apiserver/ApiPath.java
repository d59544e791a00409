package dev.grove.sandbox.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes API request path taken apart: {@code /api/v1/namespaces/ns/pods/web/status?x=y} or
 * {@code /apis/apps/v1/namespaces/ns/deployments/web}.
 *
 * @param group API group, empty for the core group
 * @param namespace empty for cluster-scoped resources and cross-namespace lists
 * @param name empty for collections
 * @param subresource empty for the resource itself
 */
record ApiPath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource,
    Map<String, String> query) {

  ApiPath {
    query = Map.copyOf(query);
  }

  /** Empty for paths that are not resources ({@code /version}, discovery documents). */
  static Optional<ApiPath> parse(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : query(pathAndQuery.substring(q + 1));
    List<String> s = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    String group;
    int at;
    if (s.size() >= 2 && s.get(0).equals("api")) {
      group = "";
      at = 1;
    } else if (s.size() >= 3 && s.get(0).equals("apis")) {
      group = s.get(1);
      at = 2;
    } else {
      return Optional.empty();
    }
    String version = s.get(at);
    List<String> rest = s.subList(at + 1, s.size());
    String namespace = "";
    // namespaces/{ns}/{plural}..., but namespaces/{ns} and namespaces/{ns}/status|finalize are the
    // Namespace itself
    if (rest.size() >= 3
        && rest.get(0).equals("namespaces")
        && !(rest.size() == 3 && List.of("status", "finalize").contains(rest.get(2)))) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 3) {
      return Optional.empty();
    }
    return Optional.of(
        new ApiPath(
            group,
            version,
            namespace,
            rest.get(0),
            rest.size() > 1 ? rest.get(1) : "",
            rest.size() > 2 ? rest.get(2) : "",
            query));
  }

  /** The path of the collection the resource is in, namespaced if the path was. */
  String collection() {
    return prefix() + (namespace.isEmpty() ? "" : "/namespaces/" + namespace) + "/" + plural;
  }

  /** The path of the resource itself, without subresource or query. */
  String resource() {
    return collection() + "/" + name;
  }

  boolean isStatus() {
    return subresource.equals("status");
  }

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  private String prefix() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  private static Map<String, String> query(String query) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      values.put(decode(key), decode(value));
    }
    return values;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
