package dev.grove.sandbox.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The kubelet's keyring for a pod, for both nodes: the simulated one (the sandbox tool's
 * ImagePuller) and the one that pulls through CRI: the pod's {@code imagePullSecrets} or, when it
 * has none, its service account's; of those, Secrets of type {@code kubernetes.io/dockerconfigjson}
 * and {@code kubernetes.io/dockercfg}, each entry for the image's registry host giving {@code auth}
 * (base64 {@code user:password}) or {@code username} and {@code password}. Hosts match whatever
 * scheme or path the key has.
 */
public final class PullCredentials {

  /** One entry of the keyring; {@code source} names the Secret. */
  public record Credential(String user, String password, String source) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private PullCredentials() {}

  /** The pod's pull secrets, or its service account's; names that do not exist go to missing. */
  public static List<Secret> secrets(KubernetesClient client, Pod pod, List<String> missing) {
    String namespace = pod.getMetadata().getNamespace();
    List<LocalObjectReference> refs = pod.getSpec().getImagePullSecrets();
    if (refs == null || refs.isEmpty()) {
      String account =
          pod.getSpec().getServiceAccountName() == null
              ? "default"
              : pod.getSpec().getServiceAccountName();
      try {
        ServiceAccount sa = client.serviceAccounts().inNamespace(namespace).withName(account).get();
        refs = sa == null ? List.of() : sa.getImagePullSecrets();
      } catch (KubernetesClientException e) {
        refs = List.of();
      }
    }
    List<Secret> secrets = new ArrayList<>();
    for (LocalObjectReference ref : refs == null ? List.<LocalObjectReference>of() : refs) {
      if (ref.getName() == null || ref.getName().isEmpty()) {
        continue;
      }
      Secret secret;
      try {
        secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
      } catch (KubernetesClientException e) {
        secret = null;
      }
      if (secret == null) {
        missing.add(ref.getName());
      } else {
        secrets.add(secret);
      }
    }
    return secrets;
  }

  /** The credentials in {@code secrets} for {@code host}, in the secrets' order. */
  public static List<Credential> forHost(List<Secret> secrets, String host) {
    List<Credential> found = new ArrayList<>();
    for (Secret secret : secrets) {
      Optional<JsonNode> servers = servers(secret);
      if (servers.isEmpty()) {
        continue;
      }
      for (Map.Entry<String, JsonNode> entry : servers.get().properties()) {
        if (host(entry.getKey()).equals(host.toLowerCase(Locale.ROOT))) {
          credential(entry.getValue(), secret).ifPresent(found::add);
        }
      }
    }
    return found;
  }

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

  private static Optional<Credential> credential(JsonNode entry, Secret secret) {
    String source =
        "Secret " + secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    JsonNode auth = entry.get("auth");
    if (auth != null && auth.isTextual() && !auth.asText().isEmpty()) {
      try {
        String pair = decode(auth.asText());
        int colon = pair.indexOf(':');
        if (colon > 0) {
          return Optional.of(
              new Credential(pair.substring(0, colon), pair.substring(colon + 1), source));
        }
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    }
    JsonNode user = entry.get("username");
    JsonNode password = entry.get("password");
    if (user != null && password != null && user.isTextual() && password.isTextual()) {
      return Optional.of(new Credential(user.asText(), password.asText(), source));
    }
    return Optional.empty();
  }

  /** The registry host a docker config key names: no scheme, no path; docker.io's aliases. */
  public static String host(String key) {
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
