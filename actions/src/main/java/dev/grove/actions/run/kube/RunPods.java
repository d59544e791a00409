package dev.grove.actions.run.kube;

import dev.grove.actions.process.SpecReader;
import dev.grove.actions.process.SpecValues;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pod of a {@code kubernetes-pod} or {@code helm-pod} Test or Run, from a user's pod spec as
 * Garden builds it ({@code prepareRunPodSpec}): the fields of the spec that make sense for a pod
 * that runs once, and one container — the chosen one, without probes, named {@code main}, with the
 * action's {@code command}, {@code args} and {@code env} over its own.
 */
final class RunPods {
  /** The pod spec fields Garden keeps for a run (its {@code runPodSpecIncludeFields}). */
  static final Set<String> POD_FIELDS =
      Set.of(
          "affinity",
          "automountServiceAccountToken",
          "containers",
          "dnsConfig",
          "dnsPolicy",
          "enableServiceLinks",
          "hostAliases",
          "hostIPC",
          "hostNetwork",
          "hostPID",
          "hostname",
          "imagePullSecrets",
          "nodeName",
          "nodeSelector",
          "overhead",
          "preemptionPolicy",
          "priority",
          "priorityClassName",
          "runtimeClassName",
          "schedulerName",
          "securityContext",
          "serviceAccount",
          "serviceAccountName",
          "shareProcessNamespace",
          "subdomain",
          "tolerations",
          "topologySpreadConstraints",
          "volumes");

  /** The kinds whose pod template a {@code resource} may name. */
  static final List<String> KINDS = List.of("Deployment", "DaemonSet", "StatefulSet", "Job", "Pod");

  private RunPods() {}

  /**
   * What the action sets on the container.
   *
   * @param command replaces the container's; empty keeps it
   * @param args replaces the container's; empty keeps them
   * @param env added to the container's, replacing those of the same name
   */
  record Overrides(List<String> command, List<String> args, Map<String, String> env) {
    static Overrides parse(Map<String, Object> spec, String action) throws ActionException {
      SpecReader read = new SpecReader(action);
      return new Overrides(
          read.strings(spec.get("command"), "command", "[\"npm\", \"test\"]."),
          read.strings(spec.get("args"), "args", "[\"--ci\"]."),
          SpecValues.env(spec, action));
    }

    /** The command as a failure names it. */
    String shown() {
      List<String> all = new ArrayList<>(command);
      all.addAll(args);
      return all.isEmpty() ? "the container's command" : "`" + String.join(" ", all) + "`";
    }
  }

  /**
   * The spec's {@code resource}: which workload's pod template to run.
   *
   * @param container the container to run; empty: the first
   */
  record Resource(String kind, String name, Optional<String> container) {
    static Optional<Resource> parse(Map<String, Object> spec, String action)
        throws ActionException {
      if (spec.get("resource") == null) {
        return Optional.empty();
      }
      SpecReader read = new SpecReader(action);
      Map<String, Object> resource =
          read.object(spec.get("resource"), "resource", "{kind: Deployment, name: api}.");
      String kind =
          read.string(resource.get("kind"), "resource.kind", "Deployment.")
              .orElseThrow(
                  () ->
                      read.missing(
                          "resource.kind",
                          "it says which workload's pod spec to run",
                          "Set spec.resource.kind, such as Deployment."));
      if (!KINDS.contains(kind)) {
        throw read.problem(
            "resource.kind",
            "is " + kind + "; the pod spec is taken from a " + String.join(", ", KINDS),
            "Name a workload of the manifests, such as kind: Deployment.");
      }
      String name =
          read.string(resource.get("name"), "resource.name", "api.")
              .orElseThrow(
                  () ->
                      read.missing(
                          "resource.name",
                          "it says which " + kind + " to take the pod spec from",
                          "Set spec.resource.name."));
      return Optional.of(
          new Resource(
              kind,
              name,
              read.string(resource.get("containerName"), "resource.containerName", "api.")));
    }

    @Override
    public String toString() {
      return kind + "/" + name;
    }
  }

  /**
   * The pod spec of {@code resource} among {@code objects} (rendered manifests or a chart): a
   * workload's {@code spec.template.spec}, a Pod's {@code spec}.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> podSpecOf(
      ActionContext ctx, List<Map<String, Object>> objects, Resource resource, String from)
      throws ActionException {
    for (Map<String, Object> object : objects) {
      if (!resource.kind().equals(object.get("kind"))
          || !(object.get("metadata") instanceof Map<?, ?> metadata)
          || !resource.name().equals(metadata.get("name"))) {
        continue;
      }
      Object spec = object.get("spec");
      if (!resource.kind().equals("Pod")
          && spec instanceof Map<?, ?> workload
          && workload.get("template") instanceof Map<?, ?> template) {
        spec = template.get("spec");
      }
      if (spec instanceof Map<?, ?> podSpec) {
        return (Map<String, Object>) podSpec;
      }
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          ctx.ref() + ": " + resource + " in " + from + " has no pod spec.",
          "Give it a pod template (spec.template.spec), or set spec.podSpec on the action.");
    }
    List<String> found = new ArrayList<>();
    for (Map<String, Object> object : objects) {
      if (KINDS.contains(String.valueOf(object.get("kind")))
          && object.get("metadata") instanceof Map<?, ?> metadata) {
        found.add(object.get("kind") + "/" + metadata.get("name"));
      }
    }
    throw new ActionException(
        ActionCodes.INVALID_SPEC,
        ctx.ref()
            + ": spec.resource "
            + resource
            + " is not in "
            + from
            + (found.isEmpty()
                ? " (it has no workloads)."
                : " (it has " + String.join(", ", found) + ")."),
        "Name one of its workloads in spec.resource, or set spec.podSpec.");
  }

  /**
   * The run's pod spec from a user's: Garden's kept fields, one container ({@code container} or the
   * first) renamed {@code main}, without probes, with the overrides.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> runSpec(
      ActionContext ctx,
      Map<String, Object> podSpec,
      Optional<String> container,
      Overrides overrides)
      throws ActionException {
    List<Map<String, Object>> containers = new ArrayList<>();
    if (podSpec.get("containers") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map) {
          containers.add((Map<String, Object>) map);
        }
      }
    }
    Map<String, Object> chosen =
        container.isPresent()
            ? containers.stream()
                .filter(c -> container.get().equals(c.get("name")))
                .findFirst()
                .orElse(null)
            : containers.isEmpty() ? null : containers.get(0);
    if (chosen == null) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          ctx.ref()
              + ": "
              + (container.isPresent()
                  ? "the pod spec has no container named " + container.get()
                  : "the pod spec has no containers")
              + ".",
          "Name one of its containers in spec.resource.containerName, or give the pod spec a"
              + " container.");
    }
    Map<String, Object> main = new LinkedHashMap<>(chosen);
    main.remove("readinessProbe");
    main.remove("livenessProbe");
    main.remove("startupProbe");
    main.put("name", PodRunHandler.MAIN);
    if (!overrides.command().isEmpty()) {
      main.put("command", new ArrayList<>(overrides.command()));
    }
    if (!overrides.args().isEmpty()) {
      main.put("args", new ArrayList<>(overrides.args()));
    }
    if (!overrides.env().isEmpty()) {
      List<Object> env = new ArrayList<>();
      if (main.get("env") instanceof List<?> own) {
        for (Object item : own) {
          if (!(item instanceof Map<?, ?> variable
              && overrides.env().containsKey(String.valueOf(variable.get("name"))))) {
            env.add(item);
          }
        }
      }
      overrides.env().forEach((name, value) -> env.add(Map.of("name", name, "value", value)));
      main.put("env", env);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    podSpec.forEach(
        (key, value) -> {
          if (POD_FIELDS.contains(key)) {
            spec.put(key, value);
          }
        });
    spec.put("containers", new ArrayList<>(List.of(main)));
    return spec;
  }
}
