package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.api.event.EventPayload.Warning;
import dev.grove.api.value.ValueTrees;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last step: pull secrets for the pod templates that pull from a private registry (the
 * provider's, or one Grove has credentials for). With {@code spec.imagePullSecrets: provider} it
 * adds the provider's secrets that a pod template lacks; otherwise it warns about each pod template
 * that has none and whose service account is not known to have any, since those pods end in {@code
 * ImagePullBackOff} (the story Grove started from; Garden never injects, garden issue 6486). Runs
 * after the patches, so a {@code patchResources} entry that adds the secret silences the warning.
 */
final class PullSecretEnricher {

  /** Where each workload kind keeps its pod spec. */
  private static final Map<String, List<String>> POD_SPECS =
      Map.of(
          "Deployment", List.of("spec", "template", "spec"),
          "StatefulSet", List.of("spec", "template", "spec"),
          "DaemonSet", List.of("spec", "template", "spec"),
          "ReplicaSet", List.of("spec", "template", "spec"),
          "ReplicationController", List.of("spec", "template", "spec"),
          "Job", List.of("spec", "template", "spec"),
          "CronJob", List.of("spec", "jobTemplate", "spec", "template", "spec"),
          "Pod", List.of("spec"));

  private static final String DEFAULT_SERVICE_ACCOUNT = "default";

  private PullSecretEnricher() {}

  static void apply(
      String action,
      boolean inject,
      PullSecrets secrets,
      String namespace,
      List<Map<String, Object>> objects,
      List<Warning> warnings) {
    Set<String> accountsWithSecrets = accountsWithSecrets(secrets, namespace, objects);
    boolean toldNoProviderSecrets = false;
    for (Map<String, Object> object : objects) {
      String kind = String.valueOf(object.get("kind"));
      List<String> path = POD_SPECS.get(kind);
      Map<String, Object> podSpec = path == null ? null : at(object, path);
      if (podSpec == null) {
        continue;
      }
      String image = firstPrivateImage(podSpec, secrets);
      if (image == null) {
        continue;
      }
      if (inject) {
        if (secrets.secretNames().isEmpty()) {
          if (!toldNoProviderSecrets) {
            warnings.add(noProviderSecrets(action));
            toldNoProviderSecrets = true;
          }
        } else {
          addSecrets(podSpec, secrets.secretNames());
        }
        continue;
      }
      if (podSpec.get("imagePullSecrets") instanceof List<?> existing && !existing.isEmpty()) {
        continue;
      }
      String account = serviceAccount(podSpec);
      if (accountsWithSecrets.contains(KubernetesManifests.namespace(object) + "/" + account)) {
        continue;
      }
      warnings.add(missingSecret(action, object, path, image, account, secrets));
    }
  }

  /**
   * As {@code namespace/name}: the caller's accounts, which are in the target namespace, and the
   * ServiceAccounts of the manifests that name pull secrets.
   */
  private static Set<String> accountsWithSecrets(
      PullSecrets secrets, String namespace, List<Map<String, Object>> objects) {
    Set<String> accounts = new HashSet<>();
    for (String account : secrets.serviceAccountsWithSecrets()) {
      accounts.add(namespace + "/" + account);
    }
    for (Map<String, Object> object : objects) {
      if ("ServiceAccount".equals(object.get("kind"))
          && object.get("imagePullSecrets") instanceof List<?> list
          && !list.isEmpty()) {
        accounts.add(
            KubernetesManifests.namespace(object) + "/" + KubernetesManifests.name(object));
      }
    }
    return accounts;
  }

  private static String firstPrivateImage(Map<String, Object> podSpec, PullSecrets secrets) {
    for (String field : List.of("initContainers", "containers")) {
      if (!(podSpec.get(field) instanceof List<?> containers)) {
        continue;
      }
      for (Object container : containers) {
        if (container instanceof Map<?, ?> c
            && c.get("image") instanceof String image
            && !image.isBlank()
            && secrets.isPrivate(PullSecrets.registryHost(image))) {
          return image;
        }
      }
    }
    return null;
  }

  /** Appends the names the pod spec lacks, keeping what it has. */
  private static void addSecrets(Map<String, Object> podSpec, List<String> names) {
    Object value = podSpec.get("imagePullSecrets");
    List<Object> list;
    if (value == null) {
      list = new ArrayList<>();
      podSpec.put("imagePullSecrets", list);
    } else if (value instanceof List<?>) {
      list = ValueTrees.list(value);
    } else {
      return; // not a list: the API server will say so, better than Grove guessing
    }
    Set<Object> present = new HashSet<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> m) {
        present.add(m.get("name"));
      }
    }
    for (String name : names) {
      if (!present.contains(name)) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("name", name);
        list.add(ref);
      }
    }
  }

  private static String serviceAccount(Map<String, Object> podSpec) {
    for (String field : List.of("serviceAccountName", "serviceAccount")) {
      if (podSpec.get(field) instanceof String name && !name.isBlank()) {
        return name;
      }
    }
    return DEFAULT_SERVICE_ACCOUNT;
  }

  private static Warning missingSecret(
      String action,
      Map<String, Object> object,
      List<String> path,
      String image,
      String account,
      PullSecrets secrets) {
    String kind = String.valueOf(object.get("kind"));
    String name = KubernetesManifests.name(object);
    String registry = PullSecrets.registryHost(image);
    boolean providerHasSecrets = !secrets.secretNames().isEmpty();
    String secret = providerHasSecrets ? secrets.secretNames().get(0) : "<pull-secret>";
    StringBuilder yaml = new StringBuilder();
    yaml.append("patchResources:\n")
        .append("  - kind: ")
        .append(kind)
        .append('\n')
        .append("    name: ")
        .append(name)
        .append('\n')
        .append("    patch:\n");
    String indent = "      ";
    for (String key : path) {
      yaml.append(indent).append(key).append(":\n");
      indent += "  ";
    }
    yaml.append(indent)
        .append("imagePullSecrets:\n")
        .append(indent)
        .append("  - name: ")
        .append(secret)
        .append('\n');
    String provider =
        providerHasSecrets
            ? "or set spec.imagePullSecrets: provider to have Grove add the kubernetes provider's"
                + " imagePullSecrets ("
                + String.join(", ", secrets.secretNames())
                + ")."
            : "or add imagePullSecrets to the kubernetes provider and set"
                + " spec.imagePullSecrets: provider to have Grove add them.";
    return new Warning(
        ActionCodes.GROVE_PULL_SECRET,
        action
            + ": "
            + kind
            + " "
            + name
            + " pulls "
            + image
            + " from the private registry "
            + registry
            + ", but its pods have no imagePullSecrets and Grove knows of none on their service"
            + " account "
            + account
            + "; they will fail with ImagePullBackOff.",
        "Add the pull secret with a patchResources entry in the spec of "
            + action
            + ":\n\n"
            + yaml
            + "\n"
            + provider);
  }

  private static Warning noProviderSecrets(String action) {
    return new Warning(
        ActionCodes.GROVE_PULL_SECRET,
        action
            + " sets spec.imagePullSecrets: provider, but the kubernetes provider has no"
            + " imagePullSecrets to add; pods pulling from its private registry will fail with"
            + " ImagePullBackOff.",
        "Add the registry's pull secret to the kubernetes provider in project.garden.yml:"
            + " imagePullSecrets: [{name: <pull-secret>, namespace: default}].");
  }

  private static Map<String, Object> at(Map<String, Object> object, List<String> path) {
    Object current = object;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current instanceof Map<?, ?> ? ValueTrees.map(current) : null;
  }
}
