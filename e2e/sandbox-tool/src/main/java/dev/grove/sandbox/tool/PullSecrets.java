package dev.grove.sandbox.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.actions.registry.RegistryAuth;
import dev.grove.sandbox.image.ImageReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The kubelet's keyring from a pod's image pull secrets: Secrets of type {@code
 * kubernetes.io/dockerconfigjson} ({@code .dockerconfigjson}, a docker config with {@code auths})
 * and {@code kubernetes.io/dockercfg} ({@code .dockercfg}, the older map of servers), each entry
 * giving {@code auth} (base64 {@code user:password}) or {@code username} and {@code password}. An
 * entry matches a registry by its host, whatever scheme or path the key has ({@code
 * https://index.docker.io/v1/} is docker.io).
 */
final class PullSecrets {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PullSecrets() {}

  /** The credentials in {@code secrets} for {@code host}, in the secrets' order. */
  static List<RegistryAuth> forHost(List<Secret> secrets, String host) {
    List<RegistryAuth> found = new ArrayList<>();
    for (Secret secret : secrets) {
      Optional<JsonNode> servers = servers(secret);
      if (servers.isEmpty()) {
        continue;
      }
      for (Map.Entry<String, JsonNode> entry : servers.get().properties()) {
        if (host(entry.getKey()).equals(host.toLowerCase(Locale.ROOT))) {
          credentials(entry.getValue(), secret).ifPresent(found::add);
        }
      }
    }
    return found;
  }

  /** The map of server to credentials in a pull secret, or empty when it is not one. */
  private static Optional<JsonNode> servers(Secret secret) {
    Map<String, String> data = secret.getData();
    if (data == null) {
      return Optional.empty();
    }
    try {
      if ("kubernetes.io/dockerconfigjson".equals(secret.getType())
          && data.get(".dockerconfigjson") != null) {
        JsonNode config = JSON.readTree(decode(data.get(".dockerconfigjson")));
        return Optional.ofNullable(config.get("auths")).filter(JsonNode::isObject);
      }
      if ("kubernetes.io/dockercfg".equals(secret.getType()) && data.get(".dockercfg") != null) {
        return Optional.of(JSON.readTree(decode(data.get(".dockercfg"))))
            .filter(JsonNode::isObject);
      }
    } catch (IOException | IllegalArgumentException malformed) {
      // the kubelet skips a secret it cannot read
    }
    return Optional.empty();
  }

  private static Optional<RegistryAuth> credentials(JsonNode entry, Secret secret) {
    String source =
        "Secret " + secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    JsonNode auth = entry.get("auth");
    if (auth != null && auth.isTextual() && !auth.asText().isEmpty()) {
      try {
        String pair = decode(auth.asText());
        int colon = pair.indexOf(':');
        if (colon > 0) {
          return Optional.of(
              new RegistryAuth(pair.substring(0, colon), pair.substring(colon + 1), source));
        }
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    }
    JsonNode user = entry.get("username");
    JsonNode password = entry.get("password");
    if (user != null && password != null && user.isTextual() && password.isTextual()) {
      return Optional.of(new RegistryAuth(user.asText(), password.asText(), source));
    }
    return Optional.empty();
  }

  /** The registry host a docker config key names: no scheme, no path; docker.io's aliases. */
  static String host(String key) {
    String host = key.trim().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    host = host.toLowerCase(Locale.ROOT);
    return switch (host) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" ->
          ImageReference.DOCKER_HUB;
      default -> host;
    };
  }

  private static String decode(String base64) {
    return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
