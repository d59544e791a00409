package dev.grove.orchestrator.config;

import dev.grove.actions.kube.KubernetesProviderSchema;
import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.provider.Provider;
import dev.grove.actions.spi.Schema;
import dev.grove.api.value.ValueTrees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the providers enabled in an environment as Garden does: each after the providers it
 * depends on ({@code dependencies} and the providers its config references), so its config may use
 * {@code ${providers.NAME.outputs.*}}; the exec provider's {@code initScript} runs when it
 * resolves. Providers Grove does not act on are accepted with one warning each.
 */
final class ProviderResolver {
  /** The providers Grove acts on. */
  static final List<String> ACTED_ON =
      List.of("kubernetes", "local-kubernetes", "exec", "container");

  /** Garden providers Grove accepts without acting on them, with what Grove does instead. */
  static final Map<String, String> NOT_ACTED_ON = notActedOn();

  private static final Schema.Obj EXEC =
      Schema.obj().any("name", "environments", "dependencies", "initScript").build();

  private final Templating templating;
  private final InitScript initScript;

  ProviderResolver(Templating templating, InitScript initScript) {
    this.templating = templating;
    this.initScript = initScript;
  }

  /** One provider entry enabled in the environment, before resolution. */
  private record Entry(int index, String name, Map<String, Object> raw, Set<String> dependsOn) {
    String path() {
      return "providers[" + index + "]";
    }
  }

  /**
   * The providers of {@code value} enabled in {@code envName}, resolved, in the order written.
   *
   * @param context what provider configs see; its {@code providers} is filled as they resolve
   * @param namespace the environment's namespace (the kubernetes provider's default app namespace
   *     is {@code <project>-<namespace>})
   */
  List<Provider> resolve(
      ConfigDocument doc,
      Object value,
      String projectName,
      String envName,
      String namespace,
      Map<String, Object> context,
      Diagnostics diagnostics) {
    List<Entry> entries = entries(doc, value, envName, context, diagnostics);
    List<Entry> ordered = order(doc, entries, envName, diagnostics);
    Map<String, Object> providersContext = new LinkedHashMap<>();
    Map<String, Object> resolveContext = new LinkedHashMap<>(context);
    resolveContext.put("providers", providersContext);
    Map<String, Provider> byName = new LinkedHashMap<>();
    for (Entry entry : ordered) {
      Object resolved =
          templating.resolveOrNull(
              doc, entry.path(), entry.raw(), resolveContext, diagnostics, null);
      if (!(resolved instanceof Map<?, ?> map)) {
        continue;
      }
      Map<String, Object> config = ValueTrees.map(map);
      if (KubernetesProvider.isKubernetes(entry.name())) {
        ProjectResolver.checkKubernetes(doc, entry.path(), config, diagnostics);
      }
      Provider provider = Provider.of(entry.name(), config, projectName);
      if (provider instanceof Provider.Exec exec && exec.initScript().isPresent()) {
        provider = runInitScript(doc, entry.path(), exec, diagnostics);
      }
      byName.put(entry.name(), provider);
      providersContext.put(entry.name(), contextEntry(provider, projectName + "-" + namespace));
    }
    List<Provider> out = new ArrayList<>();
    for (Entry entry : entries) {
      if (byName.containsKey(entry.name())) {
        out.add(byName.get(entry.name()));
      }
    }
    return out;
  }

  /**
   * What {@code ${providers.NAME}} gives: {@code config} as written, and the {@code outputs} Grove
   * can give (Garden's docs list each provider's): the kubernetes providers' {@code app-namespace}
   * and {@code default-hostname}, the exec provider's {@code initScript.log}; none for providers
   * Grove does not act on.
   */
  static Map<String, Object> contextEntry(Provider provider, String defaultAppNamespace) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    if (provider instanceof KubernetesProvider kubernetes) {
      outputs.put(
          "app-namespace",
          kubernetes
              .namespace()
              .map(KubernetesProvider.Namespace::name)
              .orElse(defaultAppNamespace));
      outputs.put("default-hostname", kubernetes.defaultHostname().orElse(""));
    } else if (provider instanceof Provider.Exec exec) {
      outputs.put("initScript", new LinkedHashMap<>(Map.of("log", exec.initScriptLog())));
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("config", provider.config());
    entry.put("outputs", outputs);
    return entry;
  }

  private Provider.Exec runInitScript(
      ConfigDocument doc, String path, Provider.Exec exec, Diagnostics diagnostics) {
    InitScript.Outcome outcome = initScript.run(exec.initScript().orElseThrow());
    if (outcome.failure() != null) {
      diagnostics.error(
          doc,
          path + ".initScript",
          ConfigCodes.INIT_SCRIPT_FAILED,
          "The `" + exec.name() + "` provider's initScript " + outcome.failure() + outcome.shown(),
          "Fix the script (it runs with `sh -c` in the project root each time the project"
              + " loads), or remove `initScript`.");
    }
    return new Provider.Exec(exec.name(), exec.config(), outcome.log());
  }

  /** The entries enabled in the environment, each warned about once when Grove ignores it. */
  private List<Entry> entries(
      ConfigDocument doc,
      Object value,
      String envName,
      Map<String, Object> context,
      Diagnostics diagnostics) {
    List<Entry> out = new ArrayList<>();
    if (!(value instanceof List<?> list)) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "providers[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map) || !(map.get("name") instanceof String name)) {
        diagnostics.error(
            doc,
            path,
            ConfigCodes.INVALID_FIELD,
            "Each provider needs a `name`.",
            "Write `- name: kubernetes`.");
        continue;
      }
      boolean actedOn = ACTED_ON.contains(name);
      if (actedOn) {
        Schema.Obj schema =
            KubernetesProvider.isKubernetes(name)
                ? KubernetesProviderSchema.SCHEMA
                : name.equals("exec") ? EXEC : KubernetesProviderSchema.PLAIN;
        new SchemaChecker(doc, diagnostics).check(map, schema, path, "the `" + name + "` provider");
      }
      Object environments =
          templating.resolveOrNull(
              doc, path + ".environments", map.get("environments"), context, diagnostics, null);
      if (environments instanceof List<?> envs && !envs.contains(envName)) {
        continue;
      }
      if (!actedOn) {
        // Kept with its config and no outputs: other providers may depend on it or reference it.
        warnNotActedOn(doc, path, name, diagnostics);
      }
      Map<String, Object> raw = ValueTrees.map(map);
      Set<String> dependsOn = new LinkedHashSet<>();
      if (raw.get("dependencies") instanceof List<?> deps) {
        deps.forEach(dep -> dependsOn.add(String.valueOf(dep)));
      }
      for (List<String> reference : templating.resolver().references(raw)) {
        if (reference.size() >= 2 && reference.get(0).equals("providers")) {
          dependsOn.add(reference.get(1));
        }
      }
      out.add(new Entry(i, name, raw, dependsOn));
    }
    return out;
  }

  private static void warnNotActedOn(
      ConfigDocument doc, String path, String name, Diagnostics diagnostics) {
    String instead = NOT_ACTED_ON.get(name);
    if (instead != null) {
      diagnostics.warning(
          doc,
          path + ".name",
          ConfigCodes.GROVE_NOT_ACTED_ON,
          "Grove does not act on Garden's `" + name + "` provider; it is ignored.",
          instead);
      return;
    }
    List<String> known = new ArrayList<>(ACTED_ON);
    known.addAll(NOT_ACTED_ON.keySet());
    diagnostics.warning(
        doc,
        path + ".name",
        ConfigCodes.UNKNOWN_PROVIDER,
        "Grove does not know the provider `" + name + "`; it is ignored.",
        Problems.closest(name, known)
            .map(match -> "Did you mean `" + match + "`?")
            .orElse("Grove acts on the providers " + String.join(", ", ACTED_ON) + "."));
  }

  /**
   * The entries with each after what it depends on; a dependency on a provider not enabled here, or
   * a cycle, is an error (as in Garden), and the entries involved are left out.
   */
  private static List<Entry> order(
      ConfigDocument doc, List<Entry> entries, String envName, Diagnostics diagnostics) {
    Map<String, Entry> byName = new LinkedHashMap<>();
    entries.forEach(entry -> byName.putIfAbsent(entry.name(), entry));
    for (Entry entry : entries) {
      if (!(entry.raw().get("dependencies") instanceof List<?> deps)) {
        continue;
      }
      for (int i = 0; i < deps.size(); i++) {
        String dep = String.valueOf(deps.get(i));
        if (!byName.containsKey(dep)) {
          diagnostics.error(
              doc,
              entry.path() + ".dependencies[" + i + "]",
              ConfigCodes.MISSING_DEPENDENCY,
              "The `"
                  + entry.name()
                  + "` provider depends on the provider `"
                  + dep
                  + "`, which is not configured for the environment `"
                  + envName
                  + "`.",
              "Add the `"
                  + dep
                  + "` provider to the project's `providers`, or remove the"
                  + " dependency.");
        }
      }
    }
    List<Entry> ordered = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    List<Entry> pending = new ArrayList<>(byName.values());
    while (!pending.isEmpty()) {
      boolean progressed = false;
      for (Entry entry : List.copyOf(pending)) {
        boolean ready =
            entry.dependsOn().stream()
                .allMatch(dep -> done.contains(dep) || !byName.containsKey(dep));
        if (ready) {
          ordered.add(entry);
          done.add(entry.name());
          pending.remove(entry);
          progressed = true;
        }
      }
      if (!progressed) {
        Entry first = pending.get(0);
        diagnostics.error(
            doc,
            first.path() + ".dependencies",
            ConfigCodes.DEPENDENCY_CYCLE,
            "The providers "
                + String.join(", ", pending.stream().map(Entry::name).toList())
                + " depend on each other in a cycle.",
            "Remove one of their `dependencies` (or a ${providers...} reference) to break it.");
        break;
      }
    }
    return ordered;
  }

  private static Map<String, String> notActedOn() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put(
        "octant", "Grove starts no Octant dashboard: use `kubectl` or your cluster's dashboard.");
    map.put(
        "hadolint",
        "Garden adds a Test `hadolint-<build>` for each container Build; Grove adds none. Run"
            + " hadolint as an exec Test if you want it.");
    map.put(
        "conftest",
        "Garden adds conftest Tests for your configs; Grove adds none. Run conftest as an exec"
            + " Test if you want it.");
    map.put(
        "conftest-kubernetes",
        "Garden adds conftest Tests for your manifests; Grove adds none. Run conftest as an exec"
            + " Test if you want it.");
    map.put(
        "otel-collector",
        "Grove starts no OpenTelemetry collector; it reports progress as its own events.");
    map.put(
        "jib",
        "Grove builds `container` Builds with its own jib when there is no Docker engine;"
            + " `jib-container` Builds are not supported.");
    map.put(
        "pulumi",
        "Grove does not run Pulumi: `pulumi` Deploys are not supported; run `pulumi up` from an"
            + " exec Deploy. Its provider outputs are empty.");
    map.put(
        "terraform",
        "Grove does not run Terraform: `terraform` Deploys are not supported and its provider"
            + " outputs are empty; run `terraform apply` from an exec Deploy.");
    map.put(
        "ephemeral-kubernetes",
        "Grove creates no Garden Cloud ephemeral cluster: use the `kubernetes` provider with"
            + " your own cluster, or `local-kubernetes` (Grove's sandbox).");
    return java.util.Collections.unmodifiableMap(map);
  }
}
