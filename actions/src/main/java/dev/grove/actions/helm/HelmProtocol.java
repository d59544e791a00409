package dev.grove.actions.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grove.actions.helm.HelmOps.Bounds;
import dev.grove.actions.helm.HelmOps.ChartRef;
import dev.grove.actions.helm.HelmOps.Cluster;
import dev.grove.actions.helm.HelmOps.Lint;
import dev.grove.actions.helm.HelmOps.RegistryLogin;
import dev.grove.actions.helm.HelmOps.Release;
import dev.grove.actions.helm.HelmOps.Values;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lines {@link HelmProcess} and {@link HelmWorker} exchange: one JSON object per line, {@code
 * {"id", "op", ...arguments}} one way and {@code {"id", "result"}} or {@code {"id", "error": {code,
 * message, suggestion}}} back. Answers carry a prefix, so anything Helm's Go code prints to the
 * worker's stdout is told apart (and logged, not parsed).
 */
final class HelmProtocol {
  static final String ANSWER_PREFIX = "@grove-helm ";
  static final ObjectMapper JSON = new ObjectMapper();

  /** Bounds inside the worker: its parent enforces the real ones. */
  private static final Bounds NONE = new Bounds(Duration.ZERO, null);

  private HelmProtocol() {}

  // -- requests (client side)

  static ObjectNode request(String op) {
    return JSON.createObjectNode().put("op", op);
  }

  static ObjectNode chart(ObjectNode request, ChartRef chart) {
    ObjectNode node = request.putObject("chart").put("chart", chart.chart());
    chart.version().ifPresent(version -> node.put("version", version));
    chart.repo().ifPresent(repo -> node.put("repo", repo));
    return request;
  }

  static ObjectNode values(ObjectNode request, Values values) {
    ObjectNode node = request.putObject("values").put("yaml", values.valuesYaml());
    ArrayNode files = node.putArray("files");
    values.valueFiles().forEach(file -> files.add(file.toAbsolutePath().toString()));
    return request;
  }

  static ObjectNode logins(ObjectNode request, List<RegistryLogin> logins) {
    ArrayNode array = request.putArray("logins");
    for (RegistryLogin login : logins) {
      array
          .addObject()
          .put("host", login.host())
          .put("username", login.username())
          .put("password", login.password())
          .put("plainHttp", login.plainHttp());
    }
    return request;
  }

  // -- the worker's side

  /** Runs one request on {@code helm}; the answer's {@code result} node. */
  static JsonNode dispatch(HelmOps helm, JsonNode request) throws ActionException {
    String release = request.path("release").asText();
    String namespace = request.path("namespace").asText();
    Cluster cluster = new Cluster(request.path("kubeconfig").asText());
    switch (request.path("op").asText()) {
      case "template":
        return JSON.getNodeFactory()
            .textNode(
                helm.template(
                    chart(request), release, namespace, values(request), logins(request), NONE));
      case "upgradeInstall":
        return release(
            helm.upgradeInstall(
                chart(request),
                release,
                namespace,
                values(request),
                request.path("description").asText(),
                request.path("atomic").asBoolean(),
                request.path("wait").asBoolean(),
                Duration.ofMillis(request.path("timeoutMs").asLong()),
                cluster,
                logins(request),
                NONE));
      case "status":
        return helm.status(release, namespace, cluster, NONE)
            .<JsonNode>map(HelmProtocol::release)
            .orElse(JSON.nullNode());
      case "history":
        ArrayNode history = JSON.createArrayNode();
        helm.history(release, namespace, cluster, NONE)
            .forEach(revision -> history.add(release(revision)));
        return history;
      case "uninstall":
        return JSON.getNodeFactory().booleanNode(helm.uninstall(release, namespace, cluster, NONE));
      case "package":
        return JSON.getNodeFactory()
            .textNode(
                helm.packageChart(
                        Path.of(request.path("chartDir").asText()),
                        Path.of(request.path("destination").asText()),
                        NONE)
                    .toString());
      case "push":
        helm.push(
            Path.of(request.path("package").asText()),
            request.path("remote").asText(),
            logins(request),
            NONE);
        return JSON.nullNode();
      case "lint":
        Lint lint = helm.lint(Path.of(request.path("chartDir").asText()), values(request), NONE);
        ObjectNode node = JSON.createObjectNode().put("failed", lint.failed());
        ArrayNode messages = node.putArray("messages");
        lint.messages().forEach(messages::add);
        return node;
      default:
        throw new ActionException(
            ActionCodes.HELM_UNAVAILABLE,
            "Helm's worker does not know the operation " + request.path("op"),
            "Restart the daemon (grove daemon stop): its Helm worker is of another build");
    }
  }

  static String answer(long id, JsonNode result) {
    ObjectNode answer = JSON.createObjectNode().put("id", id);
    answer.set("result", result);
    return line(answer);
  }

  static String answer(long id, ActionException error) {
    ObjectNode answer = JSON.createObjectNode().put("id", id);
    answer
        .putObject("error")
        .put("code", error.code())
        .put("message", error.getMessage())
        .put("suggestion", error.suggestion());
    return line(answer);
  }

  private static String line(ObjectNode answer) {
    try {
      return ANSWER_PREFIX + JSON.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ChartRef chart(JsonNode request) {
    JsonNode node = request.path("chart");
    return new ChartRef(node.path("chart").asText(), text(node, "version"), text(node, "repo"));
  }

  private static Values values(JsonNode request) {
    JsonNode node = request.path("values");
    List<Path> files = new ArrayList<>();
    node.path("files").forEach(file -> files.add(Path.of(file.asText())));
    return new Values(files, node.path("yaml").asText(""));
  }

  private static List<RegistryLogin> logins(JsonNode request) {
    List<RegistryLogin> logins = new ArrayList<>();
    for (JsonNode login : request.path("logins")) {
      logins.add(
          new RegistryLogin(
              login.path("host").asText(),
              login.path("username").asText(),
              login.path("password").asText(),
              login.path("plainHttp").asBoolean()));
    }
    return logins;
  }

  private static Optional<String> text(JsonNode node, String field) {
    return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
  }

  // -- answers (client side)

  static ObjectNode release(Release release) {
    return JSON.createObjectNode()
        .put("name", release.name())
        .put("namespace", release.namespace())
        .put("revision", release.revision())
        .put("status", release.status())
        .put("chart", release.chart())
        .put("appVersion", release.appVersion())
        .put("description", release.description());
  }

  static Release release(JsonNode node) {
    return new Release(
        node.path("name").asText(),
        node.path("namespace").asText(),
        node.path("revision").asInt(),
        node.path("status").asText(),
        node.path("chart").asText(),
        node.path("appVersion").asText(),
        node.path("description").asText());
  }

  static Lint lint(JsonNode node) {
    List<String> messages = new ArrayList<>();
    node.path("messages").forEach(message -> messages.add(message.asText()));
    return new Lint(messages, node.path("failed").asBoolean());
  }
}
